// Stands in for the `server-only` package under Vitest, which runs server modules in plain Node.
export {}
