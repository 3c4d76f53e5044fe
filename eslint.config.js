import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'web/dist', 'screenshots', 'test-results', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'bin/*.js'] },
      },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    // The layers (ARCHITECTURE.md): core ← db ← app ← server/cli/demo; the web app talks to the HTTP API only.
    // Each zone names a folder (`target`) and what it may not import (`from`). Tests may reach across.
    files: ['src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: './src/core',
              from: ['./src/db', './src/app', './src/server', './src/cli', './src/demo', './src/config.ts'],
              message: 'src/core is the pure domain: it imports only core and pure libraries.',
            },
            {
              target: './src/db',
              from: ['./src/app', './src/server', './src/cli', './src/demo', './src/config.ts'],
              message: 'src/db may import only src/core.',
            },
            {
              target: './src/app',
              from: ['./src/server', './src/cli', './src/demo', './src/config.ts'],
              message:
                'src/app (use cases) may import only src/core and src/db; the edges pass it what it needs.',
            },
            {
              target: './src/server',
              from: ['./src/cli', './src/demo'],
              message: 'src/server may import app, core and db.',
            },
            {
              target: './src/demo',
              from: ['./src/server', './src/cli'],
              message: 'src/demo drives the use cases: it may import app, core and db.',
            },
            { target: './web', from: ['./src'], message: 'The web app talks to the HTTP API only.' },
          ],
        },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
    settings: { 'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'] },
  },
  {
    // only the edges speak HTTP
    files: ['src/app/**/*.ts', 'src/db/**/*.ts', 'src/demo/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fastify', '@fastify/*', 'commander'],
              message: 'HTTP and CLI belong to src/server and src/cli; use cases take plain arguments.',
            },
          ],
        },
      ],
    },
  },
  {
    // the domain core is pure: no database, HTTP, CLI or app imports (ARCHITECTURE.md)
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/**', '**/server/**', '**/app/**', '**/cli/**', '**/demo/**'],
              message: 'src/core must stay pure (no I/O layers).',
            },
            {
              group: [
                'kysely',
                'pg',
                '@electric-sql/*',
                'fastify',
                '@fastify/*',
                'node:fs',
                'node:net',
                'node:http',
              ],
              message: 'src/core must stay pure (no I/O).',
            },
          ],
        },
      ],
    },
  },
);
