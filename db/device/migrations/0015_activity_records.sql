CREATE TABLE "activity_records" (
	"user_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"type" text NOT NULL,
	"value" double precision NOT NULL,
	"entry_id" uuid NOT NULL,
	"performed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "activity_records_user_id_activity_id_key_pk" PRIMARY KEY("user_id","activity_id","key")
);
--> statement-breakpoint
ALTER TABLE "activity_records" ADD CONSTRAINT "activity_records_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_records" ADD CONSTRAINT "activity_records_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_records_activity_id_index" ON "activity_records" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "activity_records_entry_id_index" ON "activity_records" USING btree ("entry_id");