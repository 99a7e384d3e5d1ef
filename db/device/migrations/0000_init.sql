CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"library_id" uuid NOT NULL,
	"created_by" uuid,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"template_version" integer DEFAULT 1 NOT NULL,
	"copied_from_id" uuid,
	"origin_id" uuid NOT NULL,
	"source_owner_id" uuid,
	"copied_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_kind_valid" CHECK ("activities"."kind" in ('scalar', 'sequence')),
	CONSTRAINT "activities_name_not_blank" CHECK (length(trim("activities"."name")) > 0),
	CONSTRAINT "activities_template_version_positive" CHECK ("activities"."template_version" >= 1),
	CONSTRAINT "activities_copy_provenance_complete" CHECK (("activities"."copied_from_id" is null) = ("activities"."copied_at" is null))
);
--> statement-breakpoint
CREATE TABLE "attribute_options" (
	"id" uuid PRIMARY KEY NOT NULL,
	"attribute_id" uuid NOT NULL,
	"library_id" uuid NOT NULL,
	"label" text NOT NULL,
	"ordinal" integer NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attribute_options_attribute_ordinal_unique" UNIQUE("attribute_id","ordinal"),
	CONSTRAINT "attribute_options_ordinal_nonnegative" CHECK ("attribute_options"."ordinal" >= 0),
	CONSTRAINT "attribute_options_label_not_blank" CHECK (length(trim("attribute_options"."label")) > 0)
);
--> statement-breakpoint
CREATE TABLE "attributes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"activity_id" uuid NOT NULL,
	"library_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"unit" text,
	"ordinal" integer NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attributes_activity_ordinal_unique" UNIQUE("activity_id","ordinal"),
	CONSTRAINT "attributes_ordinal_nonnegative" CHECK ("attributes"."ordinal" >= 0),
	CONSTRAINT "attributes_type_valid" CHECK ("attributes"."type" in ('number', 'integer', 'duration', 'distance', 'mass', 'text', 'choice', 'boolean')),
	CONSTRAINT "attributes_unit_matches_type" CHECK ("attributes"."unit" is not distinct from (case "attributes"."type" when 'duration' then 's' when 'distance' then 'm' when 'mass' then 'kg' else null end)),
	CONSTRAINT "attributes_name_not_blank" CHECK (length(trim("attributes"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"user_agent" text,
	"last_mutation_id" bigint DEFAULT 0 NOT NULL,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "devices_last_mutation_id_nonnegative" CHECK ("devices"."last_mutation_id" >= 0)
);
--> statement-breakpoint
CREATE TABLE "entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"parent_id" uuid,
	"ordinal" integer DEFAULT 0 NOT NULL,
	"template_version" integer DEFAULT 1 NOT NULL,
	"performed_at" timestamp with time zone NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entries_not_own_parent" CHECK ("entries"."parent_id" is null or "entries"."parent_id" <> "entries"."id"),
	CONSTRAINT "entries_ordinal_nonnegative" CHECK ("entries"."ordinal" >= 0)
);
--> statement-breakpoint
CREATE TABLE "entry_media" (
	"entry_id" uuid NOT NULL,
	"media_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"ordinal" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entry_media_entry_id_media_id_pk" PRIMARY KEY("entry_id","media_id")
);
--> statement-breakpoint
CREATE TABLE "entry_tags" (
	"entry_id" uuid NOT NULL,
	"tag_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entry_tags_entry_id_tag_id_pk" PRIMARY KEY("entry_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "entry_values" (
	"entry_id" uuid NOT NULL,
	"attribute_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"num" double precision,
	"text" text,
	"bool" boolean,
	"option_id" uuid,
	CONSTRAINT "entry_values_entry_id_attribute_id_pk" PRIMARY KEY("entry_id","attribute_id"),
	CONSTRAINT "entry_values_exactly_one_value" CHECK (num_nonnulls("entry_values"."num", "entry_values"."text", "entry_values"."bool", "entry_values"."option_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"attribute_id" uuid NOT NULL,
	"target" double precision NOT NULL,
	"due_on" date,
	"achieved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "libraries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "libraries_name_not_blank" CHECK (length(trim("libraries"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "library_invites" (
	"id" uuid PRIMARY KEY NOT NULL,
	"library_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"invited_by" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "library_invites_role_valid" CHECK ("library_invites"."role" in ('viewer', 'editor'))
);
--> statement-breakpoint
CREATE TABLE "library_members" (
	"library_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"granted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "library_members_library_id_user_id_pk" PRIMARY KEY("library_id","user_id"),
	CONSTRAINT "library_members_role_valid" CHECK ("library_members"."role" in ('viewer', 'editor'))
);
--> statement-breakpoint
CREATE TABLE "media" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"mime_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"uploaded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_sha256_hex" CHECK ("media"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "media_byte_size_positive" CHECK ("media"."byte_size" > 0),
	CONSTRAINT "media_mime_image" CHECK ("media"."mime_type" like 'image/%')
);
--> statement-breakpoint
CREATE TABLE "sequence_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"library_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"repeat" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sequence_items_not_self" CHECK ("sequence_items"."parent_id" <> "sequence_items"."child_id"),
	CONSTRAINT "sequence_items_repeat_positive" CHECK ("sequence_items"."repeat" >= 1),
	CONSTRAINT "sequence_items_ordinal_nonnegative" CHECK ("sequence_items"."ordinal" >= 0)
);
--> statement-breakpoint
CREATE TABLE "tags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"color" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tags_user_name_unique" UNIQUE("user_id","name"),
	CONSTRAINT "tags_name_not_blank" CHECK (length(trim("tags"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "template_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"activity_id" uuid NOT NULL,
	"library_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"structure" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "template_versions_activity_version_unique" UNIQUE("activity_id","version"),
	CONSTRAINT "template_versions_version_positive" CHECK ("template_versions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "user_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"mass_unit" text DEFAULT 'kg' NOT NULL,
	"distance_unit" text DEFAULT 'km' NOT NULL,
	"week_starts_on" integer DEFAULT 1 NOT NULL,
	"storage_window_days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_settings_mass_unit_valid" CHECK ("user_settings"."mass_unit" in ('kg', 'lb')),
	CONSTRAINT "user_settings_distance_unit_valid" CHECK ("user_settings"."distance_unit" in ('km', 'mi')),
	CONSTRAINT "user_settings_week_start_valid" CHECK ("user_settings"."week_starts_on" between 0 and 6),
	CONSTRAINT "user_settings_storage_window_positive" CHECK ("user_settings"."storage_window_days" is null or "user_settings"."storage_window_days" > 0)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"image" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "local_outbox" (
	"mutation_id" bigint PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"args" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_seq" bigint,
	"local_error" text
);
--> statement-breakpoint
CREATE TABLE "local_rejections" (
	"mutation_id" bigint PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"args" jsonb NOT NULL,
	"error_code" text NOT NULL,
	"error_message" text NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dismissed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "local_sync_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"device_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"synced_seq" bigint,
	"next_mutation_id" bigint DEFAULT 1 NOT NULL,
	"horizon" bigint DEFAULT 0 NOT NULL,
	"last_synced_at" timestamp with time zone,
	"filter" jsonb
);
--> statement-breakpoint
CREATE TABLE "local_undo" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"key" jsonb NOT NULL,
	"before" jsonb
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_library_id_libraries_id_fk" FOREIGN KEY ("library_id") REFERENCES "public"."libraries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attribute_options" ADD CONSTRAINT "attribute_options_attribute_id_attributes_id_fk" FOREIGN KEY ("attribute_id") REFERENCES "public"."attributes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attributes" ADD CONSTRAINT "attributes_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_parent_id_entries_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_media" ADD CONSTRAINT "entry_media_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_media" ADD CONSTRAINT "entry_media_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_tags" ADD CONSTRAINT "entry_tags_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_tags" ADD CONSTRAINT "entry_tags_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_values" ADD CONSTRAINT "entry_values_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_values" ADD CONSTRAINT "entry_values_attribute_id_attributes_id_fk" FOREIGN KEY ("attribute_id") REFERENCES "public"."attributes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_values" ADD CONSTRAINT "entry_values_option_id_attribute_options_id_fk" FOREIGN KEY ("option_id") REFERENCES "public"."attribute_options"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_attribute_id_attributes_id_fk" FOREIGN KEY ("attribute_id") REFERENCES "public"."attributes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "libraries" ADD CONSTRAINT "libraries_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_invites" ADD CONSTRAINT "library_invites_library_id_libraries_id_fk" FOREIGN KEY ("library_id") REFERENCES "public"."libraries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_invites" ADD CONSTRAINT "library_invites_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_members" ADD CONSTRAINT "library_members_library_id_libraries_id_fk" FOREIGN KEY ("library_id") REFERENCES "public"."libraries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_members" ADD CONSTRAINT "library_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_members" ADD CONSTRAINT "library_members_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media" ADD CONSTRAINT "media_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sequence_items" ADD CONSTRAINT "sequence_items_parent_id_activities_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sequence_items" ADD CONSTRAINT "sequence_items_child_id_activities_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."activities"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tags" ADD CONSTRAINT "tags_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_settings" ADD CONSTRAINT "user_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_library_id_index" ON "activities" USING btree ("library_id");--> statement-breakpoint
CREATE INDEX "activities_origin_id_index" ON "activities" USING btree ("origin_id");--> statement-breakpoint
CREATE INDEX "attribute_options_library_id_index" ON "attribute_options" USING btree ("library_id");--> statement-breakpoint
CREATE INDEX "attributes_library_id_index" ON "attributes" USING btree ("library_id");--> statement-breakpoint
CREATE INDEX "devices_user_id_index" ON "devices" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "entries_user_id_performed_at_index" ON "entries" USING btree ("user_id","performed_at");--> statement-breakpoint
CREATE INDEX "entries_activity_id_performed_at_index" ON "entries" USING btree ("activity_id","performed_at");--> statement-breakpoint
CREATE INDEX "entries_parent_id_ordinal_index" ON "entries" USING btree ("parent_id","ordinal");--> statement-breakpoint
CREATE INDEX "entry_media_media_id_index" ON "entry_media" USING btree ("media_id");--> statement-breakpoint
CREATE INDEX "entry_media_user_id_index" ON "entry_media" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "entry_tags_tag_id_index" ON "entry_tags" USING btree ("tag_id");--> statement-breakpoint
CREATE INDEX "entry_tags_user_id_index" ON "entry_tags" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "entry_values_attribute_id_index" ON "entry_values" USING btree ("attribute_id");--> statement-breakpoint
CREATE INDEX "entry_values_user_id_index" ON "entry_values" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "goals_user_id_index" ON "goals" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "libraries_owner_id_index" ON "libraries" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "libraries_published_idx" ON "libraries" USING btree ("published_at") WHERE "libraries"."published_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "libraries_one_default_per_owner" ON "libraries" USING btree ("owner_id") WHERE "libraries"."is_default";--> statement-breakpoint
CREATE INDEX "library_invites_library_id_index" ON "library_invites" USING btree ("library_id");--> statement-breakpoint
CREATE INDEX "library_invites_email_index" ON "library_invites" USING btree ("email");--> statement-breakpoint
CREATE INDEX "library_members_user_id_index" ON "library_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "media_user_id_index" ON "media" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "media_sha256_index" ON "media" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "sequence_items_parent_id_ordinal_index" ON "sequence_items" USING btree ("parent_id","ordinal");--> statement-breakpoint
CREATE INDEX "sequence_items_library_id_index" ON "sequence_items" USING btree ("library_id");--> statement-breakpoint
CREATE INDEX "sequence_items_child_id_index" ON "sequence_items" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "template_versions_library_id_index" ON "template_versions" USING btree ("library_id");