-- Change capture (sync/SPEC.md L1-L6). Every change the server applies to a synced table is
-- appended to change_log by these triggers, in the same transaction, from the rows the server
-- itself wrote (not the WAL), so the same mutations always produce the same log. At commit a
-- deferred trigger gives the transaction the next commit sequence number; its row lock on
-- sync_state is held until the commit ends, so seq order is commit order.
INSERT INTO sync_state (id) VALUES (1) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cadence_next_op() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  n := coalesce(nullif(current_setting('cadence.op', true), ''), '-1')::integer + 1;
  PERFORM set_config('cadence.op', n::text, true);
  RETURN n;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cadence_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_image jsonb;
  new_image jsonb;
  image jsonb;
  row_key jsonb := '{}'::jsonb;
  old_scope text;
  new_scope text;
  i integer;
BEGIN
  -- TG_ARGV: scope kind, scope column, primary key columns...
  IF TG_OP <> 'INSERT' THEN old_image := to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN new_image := to_jsonb(NEW); END IF;
  image := coalesce(new_image, old_image);
  FOR i IN 2 .. TG_NARGS - 1 LOOP
    row_key := row_key || jsonb_build_object(TG_ARGV[i], image -> TG_ARGV[i]);
  END LOOP;
  old_scope := TG_ARGV[0] || ':' || (old_image ->> TG_ARGV[1]);
  new_scope := TG_ARGV[0] || ':' || (new_image ->> TG_ARGV[1]);
  IF TG_OP = 'UPDATE' AND old_scope IS DISTINCT FROM new_scope THEN
    -- A row that changes scope leaves one and enters the other.
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      VALUES (cadence_next_op(), old_scope, TG_TABLE_NAME, 'delete', row_key, NULL);
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      VALUES (cadence_next_op(), new_scope, TG_TABLE_NAME, 'insert', row_key, new_image);
  ELSE
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      VALUES (cadence_next_op(), coalesce(new_scope, old_scope), TG_TABLE_NAME, lower(TG_OP), row_key, new_image);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cadence_membership() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  member_scope text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      VALUES (cadence_next_op(), 'user:' || OLD.user_id, 'libraries', 'scope_removed', jsonb_build_object('id', OLD.library_id), NULL);
    RETURN NULL;
  END IF;
  -- A grant: the member's devices get the library as it is now, in this transaction, in their
  -- own user scope (S2), then follow the library's scope from here on.
  member_scope := 'user:' || NEW.user_id;
  INSERT INTO change_log (op, scope, table_name, kind, key, row)
    VALUES (cadence_next_op(), member_scope, 'libraries', 'scope_added', jsonb_build_object('id', NEW.library_id), jsonb_build_object('role', NEW.role));
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      SELECT cadence_next_op(), member_scope, 'libraries', 'insert', jsonb_build_object('id', to_jsonb(x.id)), to_jsonb(x)
      FROM libraries x WHERE x.id = NEW.library_id;
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      SELECT cadence_next_op(), member_scope, 'library_invites', 'insert', jsonb_build_object('id', to_jsonb(x.id)), to_jsonb(x)
      FROM library_invites x WHERE x.library_id = NEW.library_id;
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      SELECT cadence_next_op(), member_scope, 'activities', 'insert', jsonb_build_object('id', to_jsonb(x.id)), to_jsonb(x)
      FROM activities x WHERE x.library_id = NEW.library_id;
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      SELECT cadence_next_op(), member_scope, 'attributes', 'insert', jsonb_build_object('id', to_jsonb(x.id)), to_jsonb(x)
      FROM attributes x WHERE x.library_id = NEW.library_id;
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      SELECT cadence_next_op(), member_scope, 'attribute_options', 'insert', jsonb_build_object('id', to_jsonb(x.id)), to_jsonb(x)
      FROM attribute_options x WHERE x.library_id = NEW.library_id;
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      SELECT cadence_next_op(), member_scope, 'sequence_items', 'insert', jsonb_build_object('id', to_jsonb(x.id)), to_jsonb(x)
      FROM sequence_items x WHERE x.library_id = NEW.library_id;
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      SELECT cadence_next_op(), member_scope, 'template_versions', 'insert', jsonb_build_object('id', to_jsonb(x.id)), to_jsonb(x)
      FROM template_versions x WHERE x.library_id = NEW.library_id;
    INSERT INTO change_log (op, scope, table_name, kind, key, row)
      SELECT cadence_next_op(), member_scope, 'library_members', 'insert', jsonb_build_object('library_id', to_jsonb(x.library_id), 'user_id', to_jsonb(x.user_id)), to_jsonb(x)
      FROM library_members x WHERE x.library_id = NEW.library_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cadence_library_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The owner's devices drop the library too; members get theirs from their membership rows.
  INSERT INTO change_log (op, scope, table_name, kind, key, row)
    VALUES (cadence_next_op(), 'user:' || OLD.owner_id, 'libraries', 'scope_removed', jsonb_build_object('id', OLD.id), NULL);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cadence_assign_seq() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s bigint;
BEGIN
  IF coalesce(current_setting('cadence.seq', true), '') <> '' THEN
    RETURN NULL;
  END IF;
  UPDATE sync_state SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO s;
  INSERT INTO change_transactions (tx, seq) VALUES (pg_current_xact_id(), s);
  PERFORM set_config('cadence.seq', s::text, true);
  PERFORM pg_notify('cadence_log', s::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER change_log_assign_seq AFTER INSERT ON change_log
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cadence_assign_seq();
--> statement-breakpoint
CREATE TRIGGER users_capture AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'id', 'id');
--> statement-breakpoint
CREATE TRIGGER devices_capture AFTER INSERT OR UPDATE OR DELETE ON devices
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'user_id', 'id');
--> statement-breakpoint
CREATE TRIGGER libraries_capture AFTER INSERT OR UPDATE OR DELETE ON libraries
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('library', 'id', 'id');
--> statement-breakpoint
CREATE TRIGGER library_members_capture AFTER INSERT OR UPDATE OR DELETE ON library_members
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('library', 'library_id', 'library_id', 'user_id');
--> statement-breakpoint
CREATE TRIGGER library_invites_capture AFTER INSERT OR UPDATE OR DELETE ON library_invites
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('library', 'library_id', 'id');
--> statement-breakpoint
CREATE TRIGGER activities_capture AFTER INSERT OR UPDATE OR DELETE ON activities
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('library', 'library_id', 'id');
--> statement-breakpoint
CREATE TRIGGER attributes_capture AFTER INSERT OR UPDATE OR DELETE ON attributes
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('library', 'library_id', 'id');
--> statement-breakpoint
CREATE TRIGGER attribute_options_capture AFTER INSERT OR UPDATE OR DELETE ON attribute_options
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('library', 'library_id', 'id');
--> statement-breakpoint
CREATE TRIGGER sequence_items_capture AFTER INSERT OR UPDATE OR DELETE ON sequence_items
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('library', 'library_id', 'id');
--> statement-breakpoint
CREATE TRIGGER template_versions_capture AFTER INSERT OR UPDATE OR DELETE ON template_versions
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('library', 'library_id', 'id');
--> statement-breakpoint
CREATE TRIGGER entries_capture AFTER INSERT OR UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'user_id', 'id');
--> statement-breakpoint
CREATE TRIGGER entry_values_capture AFTER INSERT OR UPDATE OR DELETE ON entry_values
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'user_id', 'entry_id', 'attribute_id');
--> statement-breakpoint
CREATE TRIGGER tags_capture AFTER INSERT OR UPDATE OR DELETE ON tags
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'user_id', 'id');
--> statement-breakpoint
CREATE TRIGGER entry_tags_capture AFTER INSERT OR UPDATE OR DELETE ON entry_tags
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'user_id', 'entry_id', 'tag_id');
--> statement-breakpoint
CREATE TRIGGER media_capture AFTER INSERT OR UPDATE OR DELETE ON media
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'user_id', 'id');
--> statement-breakpoint
CREATE TRIGGER entry_media_capture AFTER INSERT OR UPDATE OR DELETE ON entry_media
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'user_id', 'entry_id', 'media_id');
--> statement-breakpoint
CREATE TRIGGER user_settings_capture AFTER INSERT OR UPDATE OR DELETE ON user_settings
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'user_id', 'user_id');
--> statement-breakpoint
CREATE TRIGGER goals_capture AFTER INSERT OR UPDATE OR DELETE ON goals
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('user', 'user_id', 'id');
--> statement-breakpoint
CREATE TRIGGER mutation_results_capture AFTER INSERT OR UPDATE OR DELETE ON mutation_results
  FOR EACH ROW EXECUTE FUNCTION cadence_capture('device', 'device_id', 'device_id', 'mutation_id');
--> statement-breakpoint
CREATE TRIGGER library_members_scope AFTER INSERT OR DELETE ON library_members
  FOR EACH ROW EXECUTE FUNCTION cadence_membership();
--> statement-breakpoint
CREATE TRIGGER libraries_scope_removed AFTER DELETE ON libraries
  FOR EACH ROW EXECUTE FUNCTION cadence_library_deleted();
