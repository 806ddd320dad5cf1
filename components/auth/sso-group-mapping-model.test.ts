import { describe, expect, it } from "vitest";
import { errorsOfFields, mappingFromText, textOfMapping } from "./sso-group-mapping-model";

describe("mappingFromText", () => {
  it("reads one group = value per line, splitting on the last =", () => {
    const parsed = mappingFromText({
      claim: "groups",
      roles: "ml-admins = platform-admin\n\ncn=sre,ou=g = sre",
      teams: "nlp-eng=nlp",
    });
    expect(parsed.ok && parsed.mapping).toEqual({
      claim: "groups",
      roles: [
        { group: "ml-admins", role: "platform-admin" },
        { group: "cn=sre,ou=g", role: "sre" },
      ],
      teams: [{ group: "nlp-eng", team: "nlp" }],
    });
    expect(parsed.ok && textOfMapping(parsed.mapping)).toEqual({
      claim: "groups",
      roles: "ml-admins = platform-admin\ncn=sre,ou=g = sre",
      teams: "nlp-eng = nlp",
    });
  });

  it("names the line of each bad entry, counting blank lines", () => {
    const parsed = mappingFromText({ claim: "groups", roles: "a = sre\n\nb = root", teams: "just-a-group" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.roles?.[0]).toMatch(/^line 3 \(role\): must be one of/);
    expect(parsed.errors.teams).toEqual(['line 1: "just-a-group" is not group = team']);
  });

  it("refuses a claim name with spaces", () => {
    const parsed = mappingFromText({ claim: "my groups", roles: "", teams: "" });
    expect(!parsed.ok && parsed.errors.claim?.[0]).toMatch(/must be a claim name/);
  });
});

describe("errorsOfFields", () => {
  it("maps the API's teams.N.team to the line it came from", () => {
    expect(
      errorsOfFields([{ path: "teams.1.team", message: "no team nope" }], {
        claim: "groups",
        roles: "",
        teams: "a = nlp\n\nb = nope",
      }),
    ).toEqual({ teams: ["line 3 (team): no team nope"] });
  });
});
