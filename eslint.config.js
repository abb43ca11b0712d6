import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const focusedOrSkipped = ['it', 'test', 'describe'].flatMap((object) =>
  ['only', 'skip', 'todo'].map((property) => ({ object, property, message: 'Focused or skipped tests must not be committed.' })));

export default tseslint.config(
  { ignores: ['node_modules/', '.serverless/', '.esbuild/', '.local/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', structuredClone: 'readonly', Headers: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', ...focusedOrSkipped],
      'no-restricted-globals': ['error', { name: 'xit', message: 'Skipped tests must not be committed.' }, { name: 'xdescribe', message: 'Skipped tests must not be committed.' }, { name: 'fit', message: 'Focused tests must not be committed.' }],
    },
  },
  // Serverless loads its local plugins as CommonJS (scripts/serverless).
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  {
    // The local console's page script runs in a browser, with the Mermaid bundle loaded before it.
    files: ['scripts/local-stack/console/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', location: 'readonly', history: 'readonly', URLSearchParams: 'readonly', CSS: 'readonly', mermaid: 'readonly' },
    },
  },
);
