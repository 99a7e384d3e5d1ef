ALTER TABLE "media_blobs" ADD COLUMN "mime_type" text NOT NULL;--> statement-breakpoint
ALTER TABLE "media_blobs" ADD COLUMN "byte_size" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "media_blobs" ADD COLUMN "unreferenced_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "media" ADD COLUMN "thumb_sha256" text;--> statement-breakpoint
ALTER TABLE "user_settings" ADD COLUMN "keep_photo_location" boolean;--> statement-breakpoint
CREATE INDEX "media_thumb_sha256_index" ON "media" USING btree ("thumb_sha256");--> statement-breakpoint
ALTER TABLE "media_blobs" ADD CONSTRAINT "media_blobs_size_matches" CHECK ("media_blobs"."byte_size" = octet_length("media_blobs"."data"));--> statement-breakpoint
ALTER TABLE "media" ADD CONSTRAINT "media_thumb_sha256_hex" CHECK ("media"."thumb_sha256" is null or "media"."thumb_sha256" ~ '^[0-9a-f]{64}$');