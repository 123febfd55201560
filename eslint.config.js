import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Modules the pure domain may never import: cloud SDKs, the functions-framework, Node I/O. */
export const DOMAIN_FORBIDDEN = [
  {
    group: ['@google-cloud/*', 'google-gax', 'google-auth-library', '@grpc/*'],
    message: 'shared/domain is pure: cloud SDKs belong in shared/adapters.',
  },
  {
    group: ['@google-cloud/functions-framework', '@google-cloud/functions-framework/*'],
    message: 'shared/domain is pure: the functions-framework belongs in functions/.',
  },
  {
    group: [
      'fs',
      'fs/*',
      'node:fs',
      'node:fs/*',
      'http',
      'node:http',
      'https',
      'node:https',
      'net',
      'node:net',
      'child_process',
      'node:child_process',
      'dgram',
      'node:dgram',
      'dns',
      'node:dns',
      'http2',
      'node:http2',
      'tls',
      'node:tls',
    ],
    message: 'shared/domain is pure: Node I/O belongs in adapters.',
  },
  {
    group: ['**/adapters/**', '**/ports/**'],
    message: 'shared/domain does not depend on ports or adapters.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'terraform/**', 'coverage/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: DOMAIN_FORBIDDEN }],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'shared/domain is pure: no I/O.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'shared/domain takes `now` from the caller.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'shared/domain takes `now` from the caller.',
        },
      ],
    },
  },
);
