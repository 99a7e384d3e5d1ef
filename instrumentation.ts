/** Runs once when the Next.js server starts (see server/boot.ts); not while building. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    const { boot } = await import('./server/boot')
    await boot()
  }
}
