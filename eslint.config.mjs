// Lint rules for every TypeScript file of the workspace. Formatting is Prettier's job (.prettierrc.json);
// these rules catch mistakes: unused code, floating promises, `any` leaking through, shadowed names.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'clusters/**',
      '.nx/**',
      '.tools/**',
      'tmp/**',
      'coverage/**',
      'dist/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'tools/**/files/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Regexes in tests match aligned output literally; counting spaces in {n} reads worse there.
      'no-regex-spaces': 'off',
      eqeqeq: ['error', 'smart'],
      'no-shadow': 'off',
      'prefer-const': 'error',
      'no-console': 'off',
    },
  },
  {
    // Prettier wraps code at its printWidth (160) but never splits a string, template literal, regex or
    // comment; this keeps those within the same width. (Core max-len is deprecated but kept until ESLint 11;
    // @stylistic/max-len takes the same options.)
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      'max-len': ['error', { code: 160, ignoreUrls: true }],
    },
  },
);
