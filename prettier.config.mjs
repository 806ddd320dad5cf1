// The house format: double quotes, semicolons, trailing commas, two-space indent, as the code is written today.
// 120 columns keeps a route's options or a JSX element on one readable line without the 250-column lines of before.
export default {
  printWidth: 120,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
  tabWidth: 2,
  arrowParens: "always",
  endOfLine: "lf",
};
