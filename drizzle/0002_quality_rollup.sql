CREATE TABLE "quality_rollup" (
	"group_id" integer NOT NULL,
	"group_path" text NOT NULL,
	"state_id" integer,
	"instrument_id" text NOT NULL,
	"school_year" text NOT NULL,
	"scale_id" text NOT NULL,
	"band" text NOT NULL,
	"schools" integer NOT NULL,
	"sum_score" double precision NOT NULL,
	CONSTRAINT "quality_rollup_group_id_instrument_id_school_year_scale_id_band_pk" PRIMARY KEY("group_id","instrument_id","school_year","scale_id","band")
);
--> statement-breakpoint
CREATE INDEX "quality_rollup_path_idx" ON "quality_rollup" USING btree ("group_path" text_pattern_ops,"instrument_id","school_year");