CREATE TABLE `feedback_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`tenancy_id` text,
	`message_id` text,
	`detail` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`excerpt` text NOT NULL,
	`suppressions` text DEFAULT '[]' NOT NULL,
	`time_received` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `feedback_reports_by_time` ON `feedback_reports` (`time_received`,`id`);--> statement-breakpoint
CREATE INDEX `feedback_reports_by_tenancy` ON `feedback_reports` (`tenancy_id`,`time_received`,`id`);--> statement-breakpoint
CREATE TABLE `soft_bounces` (
	`tenancy_id` text NOT NULL,
	`email_address` text NOT NULL,
	`count` integer NOT NULL,
	`window_start` integer NOT NULL,
	`last_message_id` text NOT NULL,
	PRIMARY KEY(`tenancy_id`, `email_address`)
);
--> statement-breakpoint
CREATE INDEX `submissions_by_message_id` ON `submissions` (`message_id`);--> statement-breakpoint
CREATE INDEX `suppressions_by_message` ON `suppressions` (`tenancy_id`,`message_id`);