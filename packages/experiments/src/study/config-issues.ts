import type { z } from 'zod';

/** Every problem of a configuration, each as 'field.path[i]: what is wrong', joined by '; '. */
export function configIssues(error: z.ZodError): string {
  const where = (path: readonly PropertyKey[]): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('') || '(top level)';
  return error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`).join('; ');
}
