/**
 * The triggers every synced table needs, rendered from the sync registry (sync/SPEC.md L6), so
 * a table declared with `syncScope` gets them with no other edit. `npm run db:generate` writes
 * them as migrations (scripts/sync-triggers.ts) and `npm run db:check` fails when the committed
 * ones no longer match the declarations.
 *
 * Each rendering is complete, not a diff: it drops every trigger that runs one of Cadence's
 * row functions and creates the whole set again, so a table that stops being synced loses its
 * triggers too. The functions themselves (`cadence_capture`, `cadence_record_undo`,
 * `cadence_local_changed`) are written once in the hand-written migrations; only the grant
 * copy, whose body lists the library's tables, and the membership trigger that asks for it are
 * rendered here.
 */
import type { LocalTable, RegisteredTable } from './schema/registry'

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`

/**
 * Drops every non-internal trigger that executes one of `functions` (or, with `prefix`, a
 * function whose name starts with it), wherever it is.
 */
function dropTriggersOf(functions: string[], prefix?: string): string {
  const names = functions.map(literal).join(', ')
  const which = prefix ? `(p.proname IN (${names}) OR starts_with(p.proname::text, ${literal(prefix)}))` : `p.proname IN (${names})`
  return `DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT tg.tgname, tg.tgrelid::regclass AS relation
    FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
    WHERE NOT tg.tgisinternal AND ${which}
  LOOP
    EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.relation);
  END LOOP;
END
$$;`
}

const rowTrigger = (name: string, table: string, fn: string, args: string[]) =>
  `CREATE TRIGGER ${ident(name)} AFTER INSERT OR UPDATE OR DELETE ON ${ident(table)}
  FOR EACH ROW EXECUTE FUNCTION ${fn}(${args.map(literal).join(', ')});`

/**
 * The grant (SPEC S2). A new membership writes `scope_added` into the member's user scope at
 * once, and leaves the copy of the library's rows to the commit: it appends the grant to the
 * transaction's `cadence.grants` list, and `cadence_assign_seq()` (the deferred seq trigger,
 * `db/migrations/0005_grant_copy_at_commit.sql`) runs `cadence_copy_library` for each grant whose
 * membership still exists, after it holds the seq lock. The copy then sees exactly the writes
 * with a smaller seq, and every later writer gets a larger one (L3, L4): copied at insert time,
 * a writer committing while the grant was open got the smaller seq and was lost or undone.
 */
function grantCopy(tables: readonly RegisteredTable[]): string[] {
  const copies = tables
    .filter((t) => t.scope === 'library')
    .map((t) => {
      const key = t.key.map((k) => `${literal(k)}, to_jsonb(x.${ident(k)})`).join(', ')
      return `  INSERT INTO change_log (op, scope, table_name, kind, key, row)
    SELECT cadence_next_op(), member_scope, ${literal(t.table)}, 'insert', jsonb_build_object(${key}), to_jsonb(x)
    FROM ${ident(t.table)} x WHERE x.${ident(t.column)} = library;`
    })
  const copy = `CREATE OR REPLACE FUNCTION cadence_copy_library(member_scope text, library uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
${copies.join('\n')}
END
$$;`
  const membership = `CREATE OR REPLACE FUNCTION cadence_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      VALUES (cadence_next_op(), 'user:' || OLD.user_id, 'libraries', 'scope_removed', jsonb_build_object('id', OLD.library_id), NULL);
    RETURN NULL;
  END IF;
  INSERT INTO change_log (op, scope, table_name, kind, key, row)
    VALUES (cadence_next_op(), 'user:' || NEW.user_id, 'libraries', 'scope_added', jsonb_build_object('id', NEW.library_id), jsonb_build_object('role', NEW.role));
  PERFORM set_config(
    'cadence.grants',
    (coalesce(nullif(current_setting('cadence.grants', true), ''), '[]')::jsonb
      || jsonb_build_array(jsonb_build_object('user_id', NEW.user_id, 'library_id', NEW.library_id)))::text,
    true
  );
  RETURN NULL;
END
$$;`
  return [copy, membership]
}

/** The name of a table's capture function (SPEC L1). */
export const captureFunction = (table: string) => `cadence_capture_${table}`

/**
 * A table's change capture, once per statement (SPEC L1, L2): its own function, with the table's
 * scope and key written in, appends one change_log row per row the statement wrote, read from
 * the statement's transition tables, numbered on from the transaction's `cadence.op`. An update
 * pairs each new image with its old one by key: a row whose scope changed leaves the old scope
 * (a delete) and enters the new (an insert); a row whose key changed is a delete and an insert.
 * Three triggers call it, since a trigger with transition tables has one event.
 */
function capture(t: RegisteredTable): string[] {
  const fn = captureFunction(t.table)
  const key = (x: string) => `jsonb_build_object(${t.key.map((k) => `${literal(k)}, to_jsonb(${x}.${ident(k)})`).join(', ')})`
  const scope = (x: string) => `${literal(`${t.scope}:`)} || ${x}.${ident(t.column)}::text`
  const into = 'INSERT INTO change_log (op, scope, table_name, kind, key, row)'
  const name = literal(t.table)
  const body = `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  base integer := coalesce(nullif(current_setting('cadence.op', true), ''), '-1')::integer + 1;
  n integer;
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${into}
      SELECT base + (row_number() OVER ())::integer - 1, ${scope('x')}, ${name}, 'insert', ${key('x')}, to_jsonb(x)
      FROM new_rows x;
  ELSIF TG_OP = 'DELETE' THEN
    ${into}
      SELECT base + (row_number() OVER ())::integer - 1, ${scope('x')}, ${name}, 'delete', ${key('x')}, NULL
      FROM old_rows x;
  ELSE
    ${into}
      WITH o AS (SELECT ${key('x')} AS key, ${scope('x')} AS scope, row_number() OVER () AS ord FROM old_rows x),
           n AS (SELECT ${key('x')} AS key, ${scope('x')} AS scope, to_jsonb(x) AS row, row_number() OVER () AS ord FROM new_rows x),
           c AS (
             SELECT coalesce(n.ord, o.ord) AS ord, 0 AS part, o.scope, 'delete' AS kind, o.key, NULL::jsonb AS row
               FROM o LEFT JOIN n ON n.key = o.key WHERE n.key IS NULL OR n.scope IS DISTINCT FROM o.scope
             UNION ALL
             SELECT n.ord, 1, n.scope, CASE WHEN o.key IS NULL OR n.scope IS DISTINCT FROM o.scope THEN 'insert' ELSE 'update' END, n.key, n.row
               FROM n LEFT JOIN o ON o.key = n.key
           )
      SELECT base + (row_number() OVER (ORDER BY c.ord, c.part))::integer - 1, c.scope, ${name}, c.kind, c.key, c.row FROM c;
  END IF;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    PERFORM set_config('cadence.op', (base + n - 1)::text, true);
  END IF;
  RETURN NULL;
END
$$;`
  const trigger = (event: string, referencing: string) =>
    `CREATE TRIGGER ${ident(`${t.table}_capture_${event.toLowerCase()}`)} AFTER ${event} ON ${ident(t.table)}
  REFERENCING ${referencing}
  FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`
  return [
    body,
    trigger('INSERT', 'NEW TABLE AS new_rows'),
    trigger('UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'),
    trigger('DELETE', 'OLD TABLE AS old_rows'),
  ]
}

/** The server's statements: the capture of every registered table (SPEC L1) and the grant copy. */
export function renderServerSyncTriggers(tables: readonly RegisteredTable[]): string[] {
  return [dropTriggersOf(['cadence_capture'], 'cadence_capture_'), ...tables.flatMap(capture), ...grantCopy(tables)]
}

/**
 * The device's statements: the undo trigger of every replica table (SPEC B2; arguments: primary
 * key columns) and the notify trigger of every replica table and of the local tables the tabs
 * watch (SPEC B12).
 */
export function renderDeviceSyncTriggers(replica: readonly RegisteredTable[], local: readonly LocalTable[]): string[] {
  const notifying = [...replica.map((t) => t.table), ...local.filter((t) => t.notify).map((t) => t.table)]
  return [
    dropTriggersOf(['cadence_record_undo', 'cadence_local_changed']),
    ...replica.map((t) => rowTrigger(`${t.table}_undo`, t.table, 'cadence_record_undo', t.key)),
    ...notifying.map(
      (table) => `CREATE TRIGGER ${ident(`${table}_changed`)} AFTER INSERT OR UPDATE OR DELETE ON ${ident(table)}
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();`,
    ),
  ]
}

export const statementBreakpoint = '\n--> statement-breakpoint\n'

/** A migration file's text: a header and the statements between drizzle-kit's breakpoints. */
export function migrationText(statements: string[]): string {
  const header =
    '-- Generated by scripts/sync-triggers.ts from the sync registry (db/schema/registry.ts, sync/SPEC.md L6).\n' +
    '-- Do not edit: declare the table with syncScope() beside it and run `npm run db:generate`.\n'
  return header + statements.join(statementBreakpoint) + '\n'
}
