// Lint rules, including the folder layering from ARCHITECTURE.md: a file's folder says
// which process it runs in, and so what it may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'models/training/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  layer(
    ['protocols/**/*.ts'],
    ['**/main/**', 'electron', '**/renderer/**', '**/simulator/**'],
    'protocols/ is pure driver code: no main/, electron, renderer or simulator.',
  ),
  layer(
    ['main/runtime/**/*.ts', 'main/server/**/*.ts'],
    ['electron', '**/renderer/**'],
    'the runtime runs under plain Node: no electron or renderer imports.',
  ),
  layer(
    ['simulator/**/*.ts'],
    ['**/main/**', 'electron', '**/renderer/**', '**/protocols/**/!(config)*'],
    'the simulator is a separate plant: it may not import the console.',
  ),
  layer(
    ['preload/**/*.ts'],
    ['**/main/**', '**/renderer/**', '**/protocols/**', 'node:*'],
    'preload/ holds the contract and the bridge only.',
  ),
  layer(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ['node:*', 'electron', '**/main/**', '**/protocols/**', '**/simulator/**', '**/preload/index*'],
    'the renderer is a browser page: only browser APIs and preload/contract.ts.',
  ),
  {
    // Build and launch scripts run under Node.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['renderer/vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
