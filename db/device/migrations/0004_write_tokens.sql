CREATE TABLE "local_write_tokens" (
	"token" uuid PRIMARY KEY NOT NULL,
	"mutation_id" bigint NOT NULL
);
