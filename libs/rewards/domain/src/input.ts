/*
 * The checks of what a rewards command carries that its type cannot say. The facts themselves
 * come from other contexts' events, already checked against their published schemas.
 */

export function says(text: string): boolean {
  return text.trim() !== '';
}
