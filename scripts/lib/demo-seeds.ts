// Each domain's demo data, added to the first-run seed (lib/db/seed-demo.server.ts).
import type { Db } from "@/lib/db/prisma.server";

export const demoSeeds: ((db: Db, now: Date) => Promise<void>)[] = [];
