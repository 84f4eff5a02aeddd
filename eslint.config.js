import tseslint from 'typescript-eslint';

// Lint is errors only: no warning budget.
export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'test-artifacts/', '.regops/', '**/*.cjs', 'bin/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-throw-literal': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['functions/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/core/**', '**/adapters/**', '**/engine/**', '**/handlers/**', '**/cli/**'] }],
    },
  },
);
