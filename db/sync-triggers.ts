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

/** Drops every non-internal trigger that executes one of `functions`, wherever it is. */
function dropTriggersOf(functions: string[]): string {
  const names = functions.map(literal).join(', ')
  return `DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT tg.tgname, tg.tgrelid::regclass AS relation
    FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
    WHERE NOT tg.tgisinternal AND p.proname IN (${names})
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

/**
 * The server's statements: the capture trigger of every registered table (SPEC L1; arguments:
 * scope kind, scope column, primary key columns) and the grant copy.
 */
export function renderServerSyncTriggers(tables: readonly RegisteredTable[]): string[] {
  return [
    dropTriggersOf(['cadence_capture']),
    ...tables.map((t) => rowTrigger(`${t.table}_capture`, t.table, 'cadence_capture', [t.scope, t.column, ...t.key])),
    ...grantCopy(tables),
  ]
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
