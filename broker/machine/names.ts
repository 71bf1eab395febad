// The rule for every name a user gives (streams, queues, consumers,
// producers): one place, so every machine and the front door say the same.

export const MAX_NAME_LENGTH = 200;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function validateName(kind: string, name: string): string | undefined {
  if (name.length === 0) return `${kind} name must not be empty`;
  if (name.length > MAX_NAME_LENGTH) return `${kind} name is ${name.length} characters; the limit is ${MAX_NAME_LENGTH}`;
  if (!NAME.test(name)) return `${kind} name "${name}" may contain only letters, digits, '.', '_' and '-', and must start with a letter or digit`;
  return undefined;
}

