-- Undo log for pending writes (sync/SPEC.md B2). While a local mutation runs, the device sets
-- cadence.recording = 'on' for its transaction; these triggers then record the before-image of
-- every synced row it touches, so the device can revert all pending writes before applying server
-- changes, and replay them after, in one local transaction.
CREATE OR REPLACE FUNCTION cadence_record_undo() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  image jsonb;
  row_key jsonb := '{}'::jsonb;
  i integer;
BEGIN
  IF coalesce(current_setting('cadence.recording', true), '') <> 'on' THEN
    RETURN NULL;
  END IF;
  image := CASE WHEN TG_OP = 'INSERT' THEN to_jsonb(NEW) ELSE to_jsonb(OLD) END;
  FOR i IN 0 .. TG_NARGS - 1 LOOP
    row_key := row_key || jsonb_build_object(TG_ARGV[i], image -> TG_ARGV[i]);
  END LOOP;
  INSERT INTO local_undo (table_name, key, before)
    VALUES (TG_TABLE_NAME, row_key, CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_undo AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER devices_undo AFTER INSERT OR UPDATE OR DELETE ON devices
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER libraries_undo AFTER INSERT OR UPDATE OR DELETE ON libraries
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER library_members_undo AFTER INSERT OR UPDATE OR DELETE ON library_members
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('library_id', 'user_id');
--> statement-breakpoint
CREATE TRIGGER library_invites_undo AFTER INSERT OR UPDATE OR DELETE ON library_invites
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER activities_undo AFTER INSERT OR UPDATE OR DELETE ON activities
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER attributes_undo AFTER INSERT OR UPDATE OR DELETE ON attributes
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER attribute_options_undo AFTER INSERT OR UPDATE OR DELETE ON attribute_options
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER sequence_items_undo AFTER INSERT OR UPDATE OR DELETE ON sequence_items
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER template_versions_undo AFTER INSERT OR UPDATE OR DELETE ON template_versions
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER entries_undo AFTER INSERT OR UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER entry_values_undo AFTER INSERT OR UPDATE OR DELETE ON entry_values
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('entry_id', 'attribute_id');
--> statement-breakpoint
CREATE TRIGGER tags_undo AFTER INSERT OR UPDATE OR DELETE ON tags
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER entry_tags_undo AFTER INSERT OR UPDATE OR DELETE ON entry_tags
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('entry_id', 'tag_id');
--> statement-breakpoint
CREATE TRIGGER media_undo AFTER INSERT OR UPDATE OR DELETE ON media
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
--> statement-breakpoint
CREATE TRIGGER entry_media_undo AFTER INSERT OR UPDATE OR DELETE ON entry_media
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('entry_id', 'media_id');
--> statement-breakpoint
CREATE TRIGGER user_settings_undo AFTER INSERT OR UPDATE OR DELETE ON user_settings
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('user_id');
--> statement-breakpoint
CREATE TRIGGER goals_undo AFTER INSERT OR UPDATE OR DELETE ON goals
  FOR EACH ROW EXECUTE FUNCTION cadence_record_undo('id');
