-- One URL allow-list for every URL the portal fetches (Setting "net.url-allow-list", entries host:port).
-- It starts with the hosts and ports of what an admin or the portal itself already configured: the Prometheus URL
-- and the AWS endpoint of the cost setting, and the health checks of the DR plans the portal seeded (no
-- "createdById"). Health-check URLs an SRE put on a plan are not carried over: granting fetches is the admin's.
WITH urls(u) AS (
    SELECT value->>'prometheusUrl' FROM "Setting" WHERE key = 'costs.source'
    UNION SELECT value->>'awsEndpoint' FROM "Setting" WHERE key = 'costs.source'
    UNION SELECT unnest("healthCheckAllowList") FROM "DrPlan" WHERE "createdById" IS NULL
), parts AS (
    SELECT lower(m[1]) AS scheme, lower(m[2]) AS host, m[3] AS port
    FROM urls, regexp_match(u, '^(https?)://(\[[0-9A-Fa-f:.]+\]|[^/:?#@\[\]]+)(?::([0-9]+))?(?:[/?#]|$)') AS m
    WHERE u IS NOT NULL
)
INSERT INTO "Setting" ("key", "value", "updatedAt")
SELECT 'net.url-allow-list',
       jsonb_build_object('entries', jsonb_agg(DISTINCT host || ':' || coalesce(port, CASE scheme WHEN 'https' THEN '443' ELSE '80' END))),
       now()
FROM parts
HAVING count(*) > 0
ON CONFLICT ("key") DO NOTHING;

-- The cost setting's own allow-list (entries without ports) is replaced by the list above.
UPDATE "Setting" SET "value" = "value" - 'prometheusAllow' WHERE key = 'costs.source';

-- AlterTable
ALTER TABLE "DrPlan" DROP COLUMN "healthCheckAllowList";
