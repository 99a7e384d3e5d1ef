/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its wasm and data files from its own package directory at run time;
  // bundling it into route handlers breaks those paths, so the server requires it as is.
  serverExternalPackages: ['@electric-sql/pglite'],
  reactStrictMode: true,
  poweredByHeader: false,
}

export default nextConfig
