/**
 * Writes public/sw.js after `next build` (run by `npm run build`): bundles pwa/sw.ts with esbuild
 * and injects Serwist's precache list (@serwist/build `injectManifest`), so the worker works the
 * same whatever bundler built the app (Next 16 builds with Turbopack, which @serwist/next's
 * webpack plugin does not reach).
 *
 * The list: every file under .next/static (as /_next/static/…, hashed names, no revision), every
 * file of public/ (a revision from its content: the device template, the icons), the manifest, and
 * each route's HTML and RSC shells (pwa/precache.ts; a revision from the prerendered file). A
 * deploy that changes one file changes one entry, and the new worker fetches only that.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { injectManifest } from '@serwist/build'
import { build } from 'esbuild'
import { shellEntries, shellRoutes, type ShellKind } from '@/pwa/precache'

const bundled = '.next/cadence-sw/sw.js'
/** Where scripts/device-template.ts writes it and sync/client/pglite-worker.ts fetches it. */
const DEVICE_TEMPLATE_URL = '/device-template.tar.gz'
const swDest = 'public/sw.js'

function md5(path: string): string | null {
  return existsSync(path) ? createHash('md5').update(readFileSync(path)).digest('hex') : null
}

/**
 * The device template's revision: what it is made of (the device migrations and PGlite's version),
 * not its bytes, which differ on every run of scripts/device-template.ts (the dump's timestamps).
 * Hashing the bytes would fetch the 4.7 MB template again on every deploy.
 */
function templateRevision(): string {
  const pglite = (JSON.parse(readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8')) as { version: string }).version
  return createHash('md5').update(readFileSync('db/device/migrations.generated.ts')).update(pglite).digest('hex')
}

/** The file the build prerendered for a static route's shell (none for a page rendered per request). */
function prerendered(route: string, kind: ShellKind | 'body'): string {
  return join('.next/server/app', `${route === '/' ? 'index' : route.slice(1)}.${kind}`)
}

const buildId = readFileSync('.next/BUILD_ID', 'utf8').trim()
const routes = shellRoutes(JSON.parse(readFileSync('.next/app-path-routes-manifest.json', 'utf8')) as Record<string, string>)

await build({
  entryPoints: ['pwa/sw.ts'],
  outfile: bundled,
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  define: { __SHELL_ROUTES__: JSON.stringify(routes), 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
})

const { count, size, warnings } = await injectManifest({
  swSrc: bundled,
  swDest,
  globDirectory: '.',
  globPatterns: ['.next/static/**/*', 'public/**/*'],
  globIgnores: [swDest, `${swDest}.map`],
  modifyURLPrefix: { '.next/static/': '/_next/static/', 'public/': '/' },
  // Next names these files after their content (or the build): the URL is the revision.
  dontCacheBustURLsMatching: /^\/_next\/static\//,
  // PGlite's .data and .wasm are several megabytes each; the app does not open offline without them.
  maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  manifestTransforms: [
    async (entries) => ({
      manifest: entries.map((e) => (e.url === DEVICE_TEMPLATE_URL ? { ...e, revision: templateRevision() } : e)),
      warnings: [],
    }),
  ],
  additionalPrecacheEntries: [
    { url: '/manifest.webmanifest', revision: md5(prerendered('/manifest.webmanifest', 'body')) ?? buildId },
    ...shellEntries(routes, buildId, (route, kind) => md5(prerendered(route, kind))),
  ],
})
for (const warning of warnings) console.warn(`service worker: ${warning}`)
if (warnings.length > 0) process.exit(1)
console.log(`service worker: ${swDest} precaches ${count} files (${(size / 1024 / 1024).toFixed(1)} MiB) for build ${buildId}`)
