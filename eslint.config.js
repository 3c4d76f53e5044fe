import js from '@eslint/js';
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
