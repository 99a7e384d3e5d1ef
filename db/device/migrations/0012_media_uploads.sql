CREATE TABLE "local_media_cache" (
	"sha256" text PRIMARY KEY NOT NULL,
	"byte_size" integer NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"viewed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "local_media_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"budget_bytes" bigint
);
--> statement-breakpoint
CREATE TABLE "local_uploads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"mime_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"mutation_id" bigint NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "local_uploads_sha256_unique" UNIQUE("sha256")
);
--> statement-breakpoint
ALTER TABLE "media" ADD COLUMN "thumb_sha256" text;--> statement-breakpoint
ALTER TABLE "user_settings" ADD COLUMN "keep_photo_location" boolean;--> statement-breakpoint
CREATE INDEX "media_thumb_sha256_index" ON "media" USING btree ("thumb_sha256");--> statement-breakpoint
ALTER TABLE "media" ADD CONSTRAINT "media_thumb_sha256_hex" CHECK ("media"."thumb_sha256" is null or "media"."thumb_sha256" ~ '^[0-9a-f]{64}$');