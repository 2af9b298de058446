ALTER TABLE "company_invitations" DROP CONSTRAINT "company_invitations_status_check";--> statement-breakpoint
ALTER TABLE "company_invitations" ADD COLUMN "expires_at" timestamp with time zone DEFAULT now() + interval '168 hours' NOT NULL;--> statement-breakpoint
-- Backfill: existing invitations expire a default lifetime after they were created, not after this migration ran.
UPDATE "company_invitations" SET "expires_at" = "created_at" + interval '168 hours';--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "tokens_valid_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "company_invitations" ADD CONSTRAINT "company_invitations_status_check" CHECK ("company_invitations"."status" in ('pending', 'accepted', 'declined', 'cancelled', 'expired'));