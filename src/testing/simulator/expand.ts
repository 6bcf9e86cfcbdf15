/**
 * `expand[]` handling: which paths each object accepts, which need a restricted key, and the parsed tree
 * renderers consult. Lists take the same paths under `data.`.
 */
import { invalidParam, StripeApiFailure } from './api-error.js';

interface ExpandNode {
  /** The path may end here. */
  expandable: boolean;
  /** Only a restricted key (`rk_…`) may expand it. */
  restricted?: boolean;
  children?: Record<string, ExpandNode>;
}

const restrictedLeaf: ExpandNode = { expandable: true, restricted: true };

/** What a VerificationReport can expand: its sensitive fields. */
export const REPORT_EXPANSIONS: ExpandNode = {
  expandable: false,
  children: {
    document: {
      expandable: false,
      children: { dob: restrictedLeaf, expiration_date: restrictedLeaf, number: restrictedLeaf },
    },
    id_number: { expandable: false, children: { dob: restrictedLeaf, id_number: restrictedLeaf } },
  },
};

/** What a VerificationSession can expand. */
export const SESSION_EXPANSIONS: ExpandNode = {
  expandable: false,
  children: {
    last_verification_report: { ...REPORT_EXPANSIONS, expandable: true },
    verified_outputs: { expandable: true, children: { dob: restrictedLeaf, id_number: restrictedLeaf } },
    provided_details: { expandable: true },
  },
};

/** Objects with nothing to expand (account, webhook endpoints). */
export const NO_EXPANSIONS: ExpandNode = { expandable: false };

/** Parsed, validated expansions: a set of dotted paths, with every prefix present. */
export class Expansions {
  private readonly paths: Set<string>;

  constructor(paths: Iterable<string> = []) {
    this.paths = new Set(paths);
  }

  /** Whether `path` (dotted) is expanded. */
  has(path: string): boolean {
    return this.paths.has(path);
  }

  /** The expansions below `prefix`, re-rooted there. */
  under(prefix: string): Expansions {
    const start = `${prefix}.`;
    return new Expansions(
      [...this.paths].filter((p) => p.startsWith(start)).map((p) => p.slice(start.length)),
    );
  }
}

function cannotExpand(path: string, hint?: string): StripeApiFailure {
  return invalidParam(`This property cannot be expanded (${path}).${hint ? ` ${hint}` : ''}`, 'expand');
}

function walk(root: ExpandNode, path: string): ExpandNode[] | null {
  const nodes: ExpandNode[] = [];
  let node: ExpandNode | undefined = root;
  for (const segment of path.split('.')) {
    node = node?.children && Object.hasOwn(node.children, segment) ? node.children[segment] : undefined;
    if (!node) return null;
    nodes.push(node);
  }
  return nodes;
}

/**
 * Validates `expand` for one object (or, with `list`, for the items of a list) and returns the tree.
 * A sensitive path with a non-restricted key is a 403, which stripe-node raises as StripePermissionError.
 */
export function parseExpansions(
  requested: string[] | undefined,
  root: ExpandNode,
  options: { list: boolean; restrictedKey: boolean },
): Expansions {
  const out = new Set<string>();
  for (const full of requested ?? []) {
    if (full.split('.').length > 4) {
      throw invalidParam(`You cannot expand more than 4 levels of a property. Property: ${full}`, 'expand');
    }
    let path = full;
    if (options.list) {
      if (!full.startsWith('data.')) {
        const hint = walk(root, full) ? `You may want to try expanding 'data.${full}' instead.` : undefined;
        throw cannotExpand(full, hint);
      }
      path = full.slice('data.'.length);
    }
    const nodes = walk(root, path);
    const last = nodes?.[nodes.length - 1];
    if (!nodes || !last?.expandable) throw cannotExpand(full);
    if (nodes.some((n) => n.restricted) && !options.restrictedKey) {
      throw new StripeApiFailure({
        status: 403,
        type: 'invalid_request_error',
        message:
          `Expanding ${full} requires a restricted API key (rk_…) with the Identity permission to access ` +
          'sensitive verification results; a secret key cannot read this field.',
        param: 'expand',
      });
    }
    const segments = path.split('.');
    for (let i = 1; i <= segments.length; i += 1) out.add(segments.slice(0, i).join('.'));
  }
  return new Expansions(out);
}
