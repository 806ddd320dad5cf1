import { describe, expect, it } from "vitest";
import { labelledError } from "./field-error-text";

describe("labelledError", () => {
  it("names the field by its label, not its schema path", () => {
    expect(
      labelledError("training.gpus_per_node must be at least 1", "input.training.gpus_per_node", "GPUs per node"),
    ).toBe("GPUs per node must be at least 1");
  });

  it("replaces a message that names only the last segment of the path", () => {
    expect(
      labelledError(
        "target_gpu_utilization must be at least 0.05 (it is a fraction, e.g. 0.8 for 80%)",
        "input.scaling.target_gpu_utilization",
        "Target GPU utilization",
      ),
    ).toBe("Target GPU utilization must be at least 0.05 (it is a fraction, e.g. 0.8 for 80%)");
  });

  it("leaves a message that does not start with the field's path as it is", () => {
    expect(labelledError("Pick a team", "teamId", "Team")).toBe("Pick a team");
    expect(labelledError("port 8080 is reserved: pick another", "input.model_server.port", "Port")).toBe(
      "port 8080 is reserved: pick another",
    );
    expect(labelledError("training.nodes must be at least 1", "input.training.gpus_per_node", "GPUs per node")).toBe(
      "training.nodes must be at least 1",
    );
  });
});
