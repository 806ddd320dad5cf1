import { describe, expect, it } from "vitest";
import { confirmedDeletesOf, differenceFromPlan, splitByConfirmation } from "./confirmed-deletes";

const ns = { apiVersion: "v1", kind: "Namespace", name: "team" };
const cm = { apiVersion: "v1", kind: "ConfigMap", namespace: "team", name: "settings" };
const deploy = { apiVersion: "apps/v1", kind: "Deployment", namespace: "team", name: "server" };

describe("splitByConfirmation", () => {
  it.each([
    {
      case: "the plan is what was confirmed",
      planned: [ns, cm],
      left: [],
      confirmed: [cm, ns],
      toDelete: [ns, cm],
      notConfirmed: [],
      noLonger: [],
    },
    {
      case: "confirmed nothing, then an object became deletable",
      planned: [ns],
      left: [],
      confirmed: [],
      toDelete: [],
      notConfirmed: [ns],
      noLonger: [],
    },
    {
      case: "confirmed an object another request now applies (the plan leaves and names it)",
      planned: [cm],
      left: [ns],
      confirmed: [ns, cm],
      toDelete: [cm],
      notConfirmed: [],
      noLonger: [],
    },
    {
      case: "confirmed an object that is no longer the request's at all",
      planned: [cm],
      left: [],
      confirmed: [deploy, cm],
      toDelete: [cm],
      notConfirmed: [],
      noLonger: [deploy],
    },
    {
      case: "both ways at once, in the plan's order",
      planned: [ns, deploy, cm],
      left: [],
      confirmed: [cm, ns],
      toDelete: [ns, cm],
      notConfirmed: [deploy],
      noLonger: [],
    },
  ])("$case", ({ planned, left, confirmed, toDelete, notConfirmed, noLonger }) => {
    expect(splitByConfirmation(planned, left, confirmed)).toEqual({
      toDelete,
      notConfirmed,
      noLongerDeletable: noLonger,
    });
  });

  it("tells objects apart by namespace and API group, not only by name", () => {
    const elsewhere = { ...cm, namespace: "other" };
    const otherGroup = { ...deploy, apiVersion: "extensions/v1beta1" };
    expect(splitByConfirmation([cm, deploy], [], [elsewhere, otherGroup])).toEqual({
      toDelete: [],
      notConfirmed: [cm, deploy],
      noLongerDeletable: [elsewhere, otherGroup],
    });
  });

  it("an object confirmed under another version of its API group is the same object (as the endpoint compared it)", () => {
    const hpa = { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: "team", name: "server" };
    const confirmedAsBeta = { ...hpa, apiVersion: "autoscaling/v2beta2" };
    expect(splitByConfirmation([hpa], [], [confirmedAsBeta])).toEqual({
      toDelete: [hpa],
      notConfirmed: [],
      noLongerDeletable: [],
    });
  });
});

describe("differenceFromPlan", () => {
  it.each([
    {
      case: "the same objects in another order",
      planned: [ns, cm, deploy],
      confirmed: [deploy, cm, ns],
      expected: null,
    },
    { case: "nothing to delete, nothing confirmed", planned: [], confirmed: [], expected: null },
    {
      case: "the same object under another version of its group",
      planned: [deploy],
      confirmed: [{ ...deploy, apiVersion: "apps/v1beta2" }],
      expected: null,
    },
    {
      case: "one object swapped for another, same count",
      planned: [ns, cm],
      confirmed: [ns, deploy],
      expected: { notConfirmed: [cm], notPlanned: [deploy] },
    },
    { case: "the plan grew", planned: [ns, cm], confirmed: [cm], expected: { notConfirmed: [ns], notPlanned: [] } },
    { case: "the plan shrank", planned: [cm], confirmed: [cm, ns], expected: { notConfirmed: [], notPlanned: [ns] } },
    {
      case: "same name in another namespace",
      planned: [cm],
      confirmed: [{ ...cm, namespace: "other" }],
      expected: { notConfirmed: [cm], notPlanned: [{ ...cm, namespace: "other" }] },
    },
  ])("$case", ({ planned, confirmed, expected }) => {
    expect(differenceFromPlan(planned, confirmed)).toEqual(expected);
  });
});

describe("confirmedDeletesOf", () => {
  it.each([
    { case: "the recorded list", data: { applyRunId: "r1", confirmedDeletes: [ns, cm] }, expected: [ns, cm] },
    { case: "a revert queued before lists were recorded: nothing confirmed", data: { applyRunId: "r1" }, expected: [] },
    { case: "no queued event", data: undefined, expected: [] },
    { case: "a malformed list: nothing confirmed", data: { confirmedDeletes: [{ kind: "Namespace" }] }, expected: [] },
  ])("$case", ({ data, expected }) => {
    expect(confirmedDeletesOf(data)).toEqual(expected);
  });
});
