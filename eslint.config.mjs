// Lint rules for the whole tree: typescript-eslint's recommended set, React's hooks rules and jsx-a11y's
// recommended accessibility checks. Formatting is Prettier's job (prettier.config.mjs), not ESLint's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "lib/generated/**",
      "next-env.d.ts",
      "coverage/**",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ["**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      // A scrollable <pre>, or a wide table's scrolling role="region", must take focus so keyboard users can scroll
      // it (axe: scrollable-region-focusable).
      "jsx-a11y/no-noninteractive-tabindex": [
        "error",
        { tags: ["pre"], roles: ["tabpanel", "region"], allowExpressionValues: true },
      ],
    },
  },
  {
    // Server components render once per request, so reading the clock there is reading the request's time.
    files: ["app/**/page.tsx", "app/**/layout.tsx"],
    rules: { "react-hooks/purity": "off" },
  },
  {
    // Tests reach deep into generated objects (manifests, plans); a loose type keeps those assertions readable.
    files: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        module: "writable",
        require: "readonly",
        __dirname: "readonly",
      },
    },
  },
  {
    // Settings arrive typed and validated through lib/env (getEnv, getSetting); a direct read skips the schema and its
    // documented default. Scripts and config files run before that module can load (or set the variables for the
    // processes they start), and tests set variables to exercise configurations.
    files: [
      "lib/**/*.{ts,tsx}",
      "app/**/*.{ts,tsx}",
      "worker/**/*.ts",
      "cli/**/*.ts",
      "components/**/*.{ts,tsx}",
      "proxy.ts",
    ],
    ignores: ["lib/env/**", "**/*.test.ts", "**/*.test.tsx", "**/__fixtures__/**"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read settings with getEnv() or getSetting() from lib/env." },
      ],
    },
  },
  {
    // A double cast silences the type checker where a value's shape is unknown (JSON columns, job payloads): parse it
    // with its zod schema instead, so a wrong shape fails where it enters. Tests may build partial fixtures.
    files: ["**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx", "**/__fixtures__/**", "test-support/**", "e2e/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "TSAsExpression > TSAsExpression.expression > TSUnknownKeyword.typeAnnotation",
          message: "No `as unknown as`: parse the value with its zod schema (or narrow it) instead.",
        },
        {
          selector: "TSAsExpression > TSNeverKeyword.typeAnnotation",
          message: "No `as never`: type the value (a generic, a zod schema) so it fits where it goes.",
        },
      ],
    },
  },
  {
    rules: {
      // A leading underscore marks a parameter kept for its position (handler signatures, callbacks).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
    },
  },
);
