import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const VSCODE = { name: 'vscode', message: 'Only src/host may import vscode.' };
const NODE_BUILTINS = {
  group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'url', 'crypto', 'stream', 'stream/*', 'util', 'events', 'buffer', 'zlib', 'readline', 'module', 'perf_hooks', 'v8', 'vm', 'http', 'https', 'net'],
  message: 'core and webview must stay free of Node APIs.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'media/dist/**', '.e2e/**', 'out/**', 'bench/data/**', 'test-results/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  // Layers (docs/architecture.md): vscode only in src/host (and the entry point, src/extension.ts);
  // src/core pure TypeScript; webview code free of vscode, Node and the Node-side layers.
  // test/unit/layers.test.ts proves that these rules fail on a forbidden import.
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/host/**', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [VSCODE] }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE],
        patterns: [
          NODE_BUILTINS,
          { regex: '(^|/)(node|host|worker|cli)(/|$)', message: 'src/core imports nothing from src/node, src/host, src/worker or src/cli.' },
          { regex: '(^|/)protocol(/|$)', allowTypeImports: true, message: 'src/core may use the protocol\'s types only (import type).' },
        ],
      }],
      'no-restricted-globals': ['error',
        ...['Buffer', 'process', '__dirname', '__filename', 'require', 'module', 'global', 'setImmediate'].map((name) => ({
          name, message: `${name} is Node-only: src/core runs in Node, browsers and workers alike.`,
        })),
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE],
        patterns: [
          NODE_BUILTINS,
          { regex: '(^|/)src/(node|host|worker|cli)(/|$)|(^|/)(node|host|worker|cli)/', message: 'webview code imports nothing from src/host, src/node, src/worker or src/cli.' },
        ],
      }],
      'no-restricted-globals': ['error', 'Buffer', 'process', '__dirname', '__filename', 'require'],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', disallowTypeAnnotations: false }] },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Browser and UI tests run code inside the page (page.evaluate) as well as in Node.
    files: ['test/browser/**', 'test/e2e/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
