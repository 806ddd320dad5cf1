import { describe, expect, it } from "vitest";
import { decidePasswordAttempt, type RecentAttempts } from "./rate-limit";

const quiet: RecentAttempts = {
  accountFailures: 0,
  pairFailures: 0,
  addressFailures: 0,
  knownAddress: false,
  addressIdentified: true,
};

describe("decidePasswordAttempt", () => {
  it.each<[string, Partial<RecentAttempts>, false | "address" | "account"]>([
    ["a quiet account and address", {}, false],
    ["4 failures on the account", { accountFailures: 4, pairFailures: 4, addressFailures: 4 }, false],
    ["5 failures on the account from elsewhere, new address", { accountFailures: 5 }, "account"],
    [
      "5 failures on the account from elsewhere, an address it signed in from",
      { accountFailures: 5, knownAddress: true },
      false,
    ],
    ["9 failures on the account, known address", { accountFailures: 9, knownAddress: true }, false],
    ["10 failures on the account, even from a known address", { accountFailures: 10, knownAddress: true }, "account"],
    [
      "5 failures from this address on this account, known address",
      { accountFailures: 5, pairFailures: 5, knownAddress: true },
      "address",
    ],
    ["20 failures from this address over many accounts", { addressFailures: 20 }, "address"],
    ["19 failures from this address over many accounts", { addressFailures: 19 }, false],
    ["no address: the account limit still holds", { accountFailures: 5, addressIdentified: false }, "account"],
    [
      "no address: never known, never throttled as one address",
      { accountFailures: 5, addressFailures: 50, pairFailures: 5, knownAddress: true, addressIdentified: false },
      "account",
    ],
    [
      "no address: 30 failures over many accounts do not refuse everyone",
      { addressFailures: 30, addressIdentified: false },
      false,
    ],
  ])("%s", (_, recent, refusedBy) => {
    const decision = decidePasswordAttempt({ ...quiet, ...recent });
    if (refusedBy === false) expect(decision).toEqual({ allowed: true });
    else
      expect(decision).toMatchObject({
        allowed: false,
        limit: refusedBy,
        message: expect.stringContaining("wait a minute"),
      });
  });

  it("points a person refused by the account limit to a network they used before, only when there can be one", () => {
    expect(decidePasswordAttempt({ ...quiet, accountFailures: 5 })).toMatchObject({
      message: expect.stringContaining("network you used before"),
    });
    expect(decidePasswordAttempt({ ...quiet, accountFailures: 5, addressIdentified: false })).toMatchObject({
      message: expect.not.stringContaining("network you used before"),
    });
  });
});
