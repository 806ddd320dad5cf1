import { describe, expect, it } from "vitest";
import {
  decideSsoGrants,
  grantChanges,
  groupsFromClaims,
  mappingFromEnv,
  parseGroupPairs,
  roleValue,
  ssoGroupMappingSchema,
  teamValue,
  type SsoGroupMapping,
} from "./sso-groups";
import { parseEnv } from "@/lib/config/env";

const mapping: SsoGroupMapping = ssoGroupMappingSchema.parse({
  roles: [
    { group: "ml-admins", role: "platform-admin" },
    { group: "ml-sre", role: "sre" },
  ],
  teams: [
    { group: "nlp-eng", team: "nlp" },
    { group: "vision-eng", team: "vision" },
    { group: "ml-admins", team: "nlp" },
  ],
});

describe("decideSsoGrants", () => {
  it.each([
    { groups: ["nlp-eng"], role: null, teams: ["nlp"] },
    { groups: ["ml-sre", "vision-eng"], role: "sre", teams: ["vision"] },
    // the first role line the person matches wins, whatever order the claim lists groups in
    { groups: ["ml-sre", "ml-admins"], role: "platform-admin", teams: ["nlp"] },
    { groups: ["nlp-eng", "ml-admins", "vision-eng"], role: "platform-admin", teams: ["nlp", "vision"] },
  ])("$groups gives role $role and teams $teams", ({ groups, role, teams }) => {
    const grants = decideSsoGrants(groups, mapping);
    expect(grants.kind).toBe("grants");
    if (grants.kind !== "grants") return;
    expect(grants.role?.role ?? null).toBe(role);
    expect(grants.teams.map((t) => t.team).sort()).toEqual(teams);
  });

  it("refuses a person in no mapped group, naming the claim", () => {
    const grants = decideSsoGrants(["marketing"], mapping);
    expect(grants).toMatchObject({ kind: "no-access" });
    expect(grants.kind === "no-access" && grants.message).toContain('claim "groups"');
    expect(decideSsoGrants([], mapping).kind).toBe("no-access");
  });

  it("leaves roles and teams alone when nothing is mapped", () => {
    expect(decideSsoGrants(["anything"], ssoGroupMappingSchema.parse({}))).toEqual({ kind: "unmapped" });
  });
});

describe("grantChanges", () => {
  const grants = (groups: string[]) => {
    const g = decideSsoGrants(groups, mapping);
    if (g.kind !== "grants") throw new Error("expected grants");
    return g;
  };

  it("adds missing SSO teams, removes SSO teams whose group is gone, and never removes manual ones", () => {
    const changes = grantChanges(
      {
        role: "ml-engineer",
        roleSource: "sso",
        memberships: [
          { teamId: "t-vision", teamSlug: "vision", source: "sso" },
          { teamId: "t-speech", teamSlug: "speech", source: "manual" },
        ],
      },
      grants(["nlp-eng"]),
      "ml-engineer",
    );
    expect(changes.addTeams).toEqual([{ team: "nlp", group: "nlp-eng" }]);
    expect(changes.removeTeamIds).toEqual(["t-vision"]);
  });

  it("an SSO role whose group is gone falls back to the default role; a manual role stays", () => {
    expect(
      grantChanges({ role: "sre", roleSource: "sso", memberships: [] }, grants(["nlp-eng"]), "ml-engineer").role,
    ).toEqual({ role: "ml-engineer", source: "sso", group: null });
    expect(
      grantChanges({ role: "finance", roleSource: "manual", memberships: [] }, grants(["nlp-eng"]), "ml-engineer").role,
    ).toBeNull();
    expect(
      grantChanges({ role: "finance", roleSource: "manual", memberships: [] }, grants(["ml-sre"]), "ml-engineer").role,
    ).toEqual({ role: "sre", source: "sso", group: "ml-sre" });
  });

  it("does not re-add a team held manually", () => {
    expect(
      grantChanges(
        {
          role: "ml-engineer",
          roleSource: "manual",
          memberships: [{ teamId: "t-nlp", teamSlug: "nlp", source: "manual" }],
        },
        grants(["nlp-eng"]),
        "ml-engineer",
      ).addTeams,
    ).toEqual([]);
  });
});

describe("groupsFromClaims", () => {
  it.each([
    [{ groups: ["a", "b", "a"] }, "groups", ["a", "b"]],
    [{ groups: "solo" }, "groups", ["solo"]],
    [{ "cognito:groups": ["x"] }, "cognito:groups", ["x"]],
    [{ groups: [1, null, "", "ok"] }, "groups", ["ok"]],
    [{ groups: { a: 1 } }, "groups", []],
    [{}, "groups", []],
  ])("%j with claim %s reads %j", (claims, claim, groups) => {
    expect(groupsFromClaims(claims as Record<string, unknown>, claim)).toEqual(groups);
  });
});

describe("environment defaults", () => {
  it("parses group=value pairs, splitting on the last = and on ; when names hold commas", () => {
    expect(parseGroupPairs("ml-admins=platform-admin, ml-sre=sre", roleValue, "role")).toEqual({
      ok: true,
      pairs: [
        { group: "ml-admins", value: "platform-admin" },
        { group: "ml-sre", value: "sre" },
      ],
    });
    expect(parseGroupPairs("cn=nlp,ou=groups=nlp;cn=cv,ou=groups=vision", teamValue, "team")).toEqual({
      ok: true,
      pairs: [
        { group: "cn=nlp,ou=groups", value: "nlp" },
        { group: "cn=cv,ou=groups", value: "vision" },
      ],
    });
  });

  it("names the bad pair and the variable", () => {
    const result = parseEnv({ DATABASE_URL: "postgres://x/y", OIDC_GROUP_ROLES: "ml-admins=root" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join()).toMatch(
      /^OIDC_GROUP_ROLES: "ml-admins=root": the role must be one of/,
    );
    const noGroup = parseEnv({ DATABASE_URL: "postgres://x/y", OIDC_GROUP_TEAMS: "=nlp" });
    expect(!noGroup.ok && noGroup.problems.join()).toContain("OIDC_GROUP_TEAMS");
  });

  it("becomes the mapping used until an admin saves one", () => {
    const env = parseEnv({
      DATABASE_URL: "postgres://x/y",
      OIDC_GROUPS_CLAIM: "roles",
      OIDC_GROUP_ROLES: "a=sre",
      OIDC_GROUP_TEAMS: "b=nlp",
    });
    if (!env.ok) throw new Error(env.problems.join());
    expect(mappingFromEnv(env.env)).toEqual({
      claim: "roles",
      roles: [{ group: "a", role: "sre" }],
      teams: [{ group: "b", team: "nlp" }],
    });
  });
});
