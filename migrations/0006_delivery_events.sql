CREATE TABLE `delivery_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`tenancy_id` text NOT NULL,
	`compartment_id` text NOT NULL,
	`event_type` text NOT NULL,
	`message_id` text NOT NULL,
	`delivery_id` text,
	`sender` text NOT NULL,
	`recipient` text NOT NULL,
	`smtp_code` integer,
	`enhanced_code` text,
	`detail` text,
	`error_type` text,
	`relay_host` text,
	`attempt` integer,
	`latency_ms` integer,
	`time_created` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `delivery_events_by_compartment` ON `delivery_events` (`tenancy_id`,`compartment_id`,`time_created`,`seq`);--> statement-breakpoint
CREATE INDEX `delivery_events_by_message` ON `delivery_events` (`tenancy_id`,`message_id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`subscription_id` text NOT NULL,
	`event_seq` integer NOT NULL,
	`message_id` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`give_up_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`last_status` integer,
	`last_error` text,
	`time_created` integer NOT NULL,
	`time_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_order` ON `webhook_deliveries` (`subscription_id`,`message_id`,`state`,`event_seq`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_by_subscription` ON `webhook_deliveries` (`subscription_id`,`time_created`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`compartment_id` text NOT NULL,
	`display_name` text NOT NULL,
	`url` text NOT NULL,
	`event_types` text NOT NULL,
	`sealed_secret` text NOT NULL,
	`lifecycle_state` text NOT NULL,
	`lifecycle_details` text,
	`event_cursor` integer NOT NULL,
	`failing_since` integer,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL,
	`time_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_subscriptions_by_time` ON `webhook_subscriptions` (`tenancy_id`,`compartment_id`,`time_created`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_subscriptions_by_state` ON `webhook_subscriptions` (`lifecycle_state`);