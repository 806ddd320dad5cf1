import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * A value as a JSON column stores it (undefined properties dropped, dates as ISO strings), typed for Prisma's
 * writes. Typed objects need this: an interface has no index signature, so it is not a Prisma.InputJsonObject.
 */
export function toJsonValue(value: unknown): Prisma.InputJsonValue {
  const text = JSON.stringify(value);
  if (text === undefined || text === "null") throw new TypeError("a JSON column needs a value, not null or undefined");
  return JSON.parse(text);
}
