-- Live local queries: any committed change to the device's data notifies 'cadence_local' once
-- per table and transaction. Every tab listens (through the PGlite worker) and refreshes what it
-- shows, whichever tab or sync step made the change.
CREATE OR REPLACE FUNCTION cadence_local_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cadence_local', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER devices_changed AFTER INSERT OR UPDATE OR DELETE ON devices
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER libraries_changed AFTER INSERT OR UPDATE OR DELETE ON libraries
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER library_members_changed AFTER INSERT OR UPDATE OR DELETE ON library_members
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER library_invites_changed AFTER INSERT OR UPDATE OR DELETE ON library_invites
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER activities_changed AFTER INSERT OR UPDATE OR DELETE ON activities
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER attributes_changed AFTER INSERT OR UPDATE OR DELETE ON attributes
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER attribute_options_changed AFTER INSERT OR UPDATE OR DELETE ON attribute_options
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER sequence_items_changed AFTER INSERT OR UPDATE OR DELETE ON sequence_items
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER template_versions_changed AFTER INSERT OR UPDATE OR DELETE ON template_versions
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER entries_changed AFTER INSERT OR UPDATE OR DELETE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER entry_values_changed AFTER INSERT OR UPDATE OR DELETE ON entry_values
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER tags_changed AFTER INSERT OR UPDATE OR DELETE ON tags
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER entry_tags_changed AFTER INSERT OR UPDATE OR DELETE ON entry_tags
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER media_changed AFTER INSERT OR UPDATE OR DELETE ON media
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER entry_media_changed AFTER INSERT OR UPDATE OR DELETE ON entry_media
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER user_settings_changed AFTER INSERT OR UPDATE OR DELETE ON user_settings
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER goals_changed AFTER INSERT OR UPDATE OR DELETE ON goals
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER local_outbox_changed AFTER INSERT OR UPDATE OR DELETE ON local_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER local_rejections_changed AFTER INSERT OR UPDATE OR DELETE ON local_rejections
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
--> statement-breakpoint
CREATE TRIGGER local_sync_state_changed AFTER INSERT OR UPDATE OR DELETE ON local_sync_state
  FOR EACH STATEMENT EXECUTE FUNCTION cadence_local_changed();
