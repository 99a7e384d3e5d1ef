CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"source" text NOT NULL,
	"file_name" text NOT NULL,
	"file_rows" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	CONSTRAINT "imports_source_valid" CHECK ("imports"."source" in ('strong', 'hevy', 'fitnotes', 'stronglifts', 'cadence', 'cadence-archive')),
	CONSTRAINT "imports_file_name_length" CHECK (length("imports"."file_name") between 1 and 255),
	CONSTRAINT "imports_file_rows_nonnegative" CHECK ("imports"."file_rows" >= 0)
);
--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "import_row" integer;--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "import_key" text;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_user_id_index" ON "imports" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entries_import_id_index" ON "entries" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "entries_user_id_import_key_index" ON "entries" USING btree ("user_id","import_key") WHERE "entries"."import_key" is not null;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_import_row_positive" CHECK ("entries"."import_row" is null or "entries"."import_row" >= 1);