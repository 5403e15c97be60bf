CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`submission_id` text NOT NULL,
	`tenancy_id` text NOT NULL,
	`message_id` text NOT NULL,
	`sender` text NOT NULL,
	`recipient` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`give_up_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`last_code` integer,
	`last_enhanced` text,
	`last_detail` text,
	`time_created` integer NOT NULL,
	`time_updated` integer NOT NULL,
	`time_final` integer
);
--> statement-breakpoint
CREATE INDEX `deliveries_due` ON `deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_message` ON `deliveries` (`tenancy_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `deliveries_submission` ON `deliveries` (`submission_id`);--> statement-breakpoint
CREATE TABLE `quota_usage` (
	`tenancy_id` text NOT NULL,
	`window` text NOT NULL,
	`window_start` integer NOT NULL,
	`used` integer NOT NULL,
	PRIMARY KEY(`tenancy_id`, `window`, `window_start`)
);
--> statement-breakpoint
CREATE TABLE `submission_parts` (
	`submission_id` text NOT NULL,
	`seq` integer NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`submission_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`request_key` text,
	`content_hash` text NOT NULL,
	`message_id` text NOT NULL,
	`sender` text NOT NULL,
	`compartment_id` text NOT NULL,
	`response` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`time_created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `submissions_request` ON `submissions` (`tenancy_id`,`request_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `submissions_message` ON `submissions` (`tenancy_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `submissions_time` ON `submissions` (`time_created`);--> statement-breakpoint
ALTER TABLE `senders` ADD `spf_checked_at` integer;--> statement-breakpoint
CREATE INDEX `senders_spf_due` ON `senders` (`spf_checked_at`,`id`);