/** Whether `name` is a word of some code span of `markdown` (`name`, `name(...)`, `Result<name>`). */
export function inCodeSpan(name: string, markdown: string): boolean {
  const word = new RegExp(`\\b${name}\\b`);
  return [...markdown.matchAll(/`([^`\n]+)`/g)].some((m) => word.test(m[1]!));
}
