CREATE TABLE `senders` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`compartment_id` text NOT NULL,
	`email_address` text NOT NULL,
	`email_key` text NOT NULL,
	`domain` text NOT NULL,
	`lifecycle_state` text NOT NULL,
	`is_spf` integer DEFAULT false NOT NULL,
	`email_ip_pool_id` text,
	`freeform_tags` text NOT NULL,
	`defined_tags` text NOT NULL,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL,
	`time_updated` integer NOT NULL,
	`time_deleted` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `senders_live_address` ON `senders` (`tenancy_id`,`email_key`) WHERE "senders"."lifecycle_state" <> 'DELETED';--> statement-breakpoint
CREATE INDEX `senders_by_time` ON `senders` (`tenancy_id`,`compartment_id`,`time_created`,`id`);--> statement-breakpoint
CREATE INDEX `senders_by_address` ON `senders` (`tenancy_id`,`compartment_id`,`email_key`,`id`);--> statement-breakpoint
CREATE INDEX `senders_deleted` ON `senders` (`lifecycle_state`,`time_deleted`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`email_address` text NOT NULL,
	`reason` text NOT NULL,
	`error_detail` text,
	`error_source` text,
	`message_id` text,
	`time_created` integer NOT NULL,
	`time_last_suppressed` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_address` ON `suppressions` (`tenancy_id`,`email_address`);--> statement-breakpoint
CREATE INDEX `suppressions_by_time` ON `suppressions` (`tenancy_id`,`time_created`,`id`);