CREATE TABLE "media_holders" (
	"sha256" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_holders_sha256_user_id_pk" PRIMARY KEY("sha256","user_id")
);
--> statement-breakpoint
ALTER TABLE "media_holders" ADD CONSTRAINT "media_holders_sha256_media_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."media_blobs"("sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_holders" ADD CONSTRAINT "media_holders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_holders_user_id_index" ON "media_holders" USING btree ("user_id");