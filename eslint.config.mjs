import nextVitals from 'eslint-config-next/core-web-vitals'
import nextTs from 'eslint-config-next/typescript'

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      '.data/**',
      'db/migrations/**',
      'db/device/migrations/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Modules that import each other in a circle have no order to load or to read them in.
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
    settings: { 'import/ignore': ['node_modules'] },
  },
  {
    // Pages reach the device only through components/sync (the Device facade and its hooks) and
    // db/queries; they never hold the sync engine or write their own queries.
    files: ['app/**'],
    ignores: ['app/api/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/sync/client/*', '**/sync/client/*'],
              message: 'Use the device through components/sync (useDevice, useLocalQuery, useMutations).',
            },
            { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Put the query in db/queries and call it through useLocalQuery.' },
          ],
        },
      ],
    },
  },
  {
    // Components hold the Device (sync/client/device.ts) and nothing else of the sync engine.
    files: ['components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/sync/client/*', '!@/sync/client/device'],
              message: 'Components reach the sync engine only through the Device (sync/client/device.ts).',
            },
            { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Put the query in db/queries and call it through useLocalQuery.' },
          ],
        },
      ],
    },
  },
  {
    // The provider opens the browser's Device, once per tab.
    files: ['components/sync/sync-provider.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/sync/client/*', '!@/sync/client/device', '!@/sync/client/browser'],
              message: 'Components reach the sync engine only through the Device (sync/client/device.ts).',
            },
            { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Put the query in db/queries and call it through useLocalQuery.' },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures take a `use` callback that is not React's hook.
    files: ['e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
]

export default config
