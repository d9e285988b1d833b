import {
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { Extensions } from 'type-graphql';

/** The field extension that marks a mutation whose every call runs argon2. */
export const HASHES_PASSWORD_EXTENSION = 'hashesPassword';

/** Marks a mutation that hashes or verifies a password: one such field per operation. */
export function HashesPassword(): MethodDecorator {
  return Extensions({ [HASHES_PASSWORD_EXTENSION]: true });
}

/**
 * Refuses an operation that selects more than one password-hashing field. Argon2 is slow on
 * purpose, and aliases would otherwise let one small request queue thousands of hashes.
 */
export const OnePasswordCheckPerOperation: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    if (operation.operation !== 'mutation') return;
    if (countHashingFields(context, operation.selectionSet, new Set()) > 1) {
      context.reportError(
        new GraphQLError('An operation may hold at most one "signup" or "login".', {
          nodes: operation,
        }),
      );
    }
  },
});

// Counts the root fields of a mutation that hash, through fragments spread at the root.
// `visited` stops at fragments already counted; cycles are reported by another rule.
function countHashingFields(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  visited: Set<string>,
): number {
  const fields = context.getSchema().getMutationType()?.getFields() ?? {};
  let count = 0;
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        if (fields[selection.name.value]?.extensions[HASHES_PASSWORD_EXTENSION] === true)
          count += 1;
        break;
      case Kind.INLINE_FRAGMENT:
        count += countHashingFields(context, selection.selectionSet, visited);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = context.getFragment(name);
        if (fragment && !visited.has(name)) {
          visited.add(name);
          count += countHashingFields(context, fragment.selectionSet, visited);
        }
        break;
      }
    }
  }
  return count;
}
