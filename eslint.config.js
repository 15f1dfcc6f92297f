// The house style that a reader can check: `npm run lint` (eslint, then prettier --check) runs in `npm test`.
// Errors fail the build; warnings (long functions) are reported and do not.
// Layout is prettier's (.prettierrc.json); this file holds only rules about the code itself.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

const noDefaultExport = [
  { selector: 'ExportDefaultDeclaration', message: 'Use a named export: names stay the same at every import.' },
  { selector: 'ExportSpecifier[exported.name="default"]', message: 'Use a named export: names stay the same at every import.' },
];

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', '.bench/', 'data/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    plugins: { '@stylistic': stylistic },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // prettier wraps code at 140 columns but never comments; long messages stay whole so they can be found with grep.
      '@stylistic/max-len': [
        'error',
        { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
      'no-restricted-syntax': ['error', ...noDefaultExport],
      'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // verbatimModuleSyntax keeps imports as written: a type must say so, and an import of types only
      // must not leave a side-effect import behind.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // A promise nobody awaits loses its error and outlives the pass.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // A test file is a list of cases inside describe(); its length is the number of cases.
    files: ['test/**/*.test.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // These tools read their configuration from a default export.
    files: ['eslint.config.js', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Pending: one doc comment here is 145 columns, and the sandbox is being rewritten on branches in flight.
    // Wrap it and drop this entry once they have landed.
    files: ['src/sandbox/kit/faults.ts'],
    rules: { '@stylistic/max-len': 'warn' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
