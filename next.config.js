/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its wasm and data files from its own package directory at run time;
  // bundling it into route handlers breaks those paths, so the server requires it as is.
  serverExternalPackages: ['@electric-sql/pglite'],
  reactStrictMode: true,
  // `npm run typecheck` is its own CI step; checking again inside every build only slows it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
}

export default nextConfig
