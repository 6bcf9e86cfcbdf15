/** A fault from control-API fields: `kind`, `count`, `phase`, `delay_ms`, `method`, `path`, `path_pattern`, `rate`. */
import type { FaultSpec } from '../types.js';
import { badRequest, type ControlFields, numberField, stringField } from './body.js';

const KINDS = ['http_500', 'http_429', 'reset', 'slow'] as const;

/** Accepts the flat fields curl sends, or the nested `match` object a JSON client sends. */
export function faultFromFields(fields: ControlFields): { fault: FaultSpec; rate: number | undefined } {
  const kind = stringField(fields, 'kind');
  if (kind === undefined || !(KINDS as readonly string[]).includes(kind)) {
    throw badRequest(`kind must be one of ${KINDS.join(', ')}`);
  }
  const phase = stringField(fields, 'phase');
  if (phase !== undefined && phase !== 'before' && phase !== 'after')
    throw badRequest('phase must be before or after');
  const nested =
    typeof fields.match === 'object' && fields.match !== null ? (fields.match as ControlFields) : {};
  const method = stringField(fields, 'method') ?? stringField(nested, 'method');
  const exact = stringField(fields, 'path') ?? stringField(nested, 'path');
  const pattern = stringField(fields, 'path_pattern') ?? stringField(nested, 'path_pattern');
  let path: string | RegExp | undefined = exact;
  if (pattern !== undefined) {
    try {
      path = new RegExp(pattern);
    } catch {
      throw badRequest(`path_pattern is not a valid regular expression: ${pattern}`);
    }
  }
  const fault: FaultSpec = { kind: kind as FaultSpec['kind'] };
  const count = numberField(fields, 'count');
  const delayMs = numberField(fields, 'delay_ms') ?? numberField(fields, 'delayMs');
  if (count !== undefined) fault.count = count;
  if (phase !== undefined) fault.phase = phase;
  if (delayMs !== undefined) fault.delayMs = delayMs;
  if (method !== undefined || path !== undefined) {
    fault.match = {};
    if (method !== undefined) fault.match.method = method;
    if (path !== undefined) fault.match.path = path;
  }
  return { fault, rate: numberField(fields, 'rate') };
}
