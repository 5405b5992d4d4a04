import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FieldError, SaveResult } from "../ipc";
import { catalogue, channels, settle } from "../testFixtures";
import { CreateWizard } from "./createWizard";

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function type(testid: string, value: string): void {
  const input = q<HTMLInputElement>(testid)!;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

let calls: Array<{ cmd: string; args: unknown }> = [];
let validation: FieldError[] = [];
let createAnswer: () => unknown;

beforeEach(() => {
  calls = [];
  validation = [];
  createAnswer = () => ({
    outcome: { outcome: "created", profileId: 9, label: "Trần Thị B" },
    message: "Created profile Trần Thị B",
  });
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "validate_profile") return validation;
    if (cmd === "find_identifier_owner") return null;
    if (cmd === "create_profile") return createAnswer();
    throw new Error(`unexpected command ${cmd}`);
  });
});

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function openWizard(saved: SaveResult[] = []): CreateWizard {
  const w = new CreateWizard({
    fields: catalogue,
    channels,
    onSaved: (r) => saved.push(r),
    onOpenProfile: () => undefined,
  });
  w.open(document.body);
  return w;
}

describe("create wizard", () => {
  it("stays on step 1 and shows the errors when Continue finds problems", async () => {
    validation = [{ field: "identification", code: "identificationRequired", message: "Enter a name, phone or e-mail" }];
    openWizard();
    q("continue-button")!.click();
    await settle();
    expect(q("error-identification")?.textContent, "the core's message is shown inline").toBe("Enter a name, phone or e-mail");
    expect(q("save-button")?.hidden, "step 2 is not reached").toBe(true);
    expect(calls.some((c) => c.cmd === "create_profile"), "nothing is saved").toBe(false);
  });

  it("goes to consent, keeps values on Back, and saves only consent that was given", async () => {
    const saved: SaveResult[] = [];
    openWizard(saved);
    type("field-full_name", "Trần Thị B");
    type("field-emails-0", "b@example.com");
    q("continue-button")!.click();
    await settle();
    expect(q("save-button")?.hidden, "no errors: the consent step shows").toBe(false);
    expect(q<HTMLSelectElement>("consent-email")?.value, "consent defaults to Unknown").toBe("unknown");

    q("back-button")!.click();
    expect(q<HTMLInputElement>("field-full_name")?.value, "Back keeps what was typed").toBe("Trần Thị B");
    q("continue-button")!.click();
    await settle();

    const sms = q<HTMLSelectElement>("consent-sms")!;
    sms.value = "granted";
    sms.dispatchEvent(new Event("change"));
    q("save-button")!.click();
    await settle();

    const create = calls.find((c) => c.cmd === "create_profile");
    expect(create?.args, "the form's values and only the non-Unknown consent are sent").toEqual({
      input: { values: { full_name: "Trần Thị B", emails: ["b@example.com"] } },
      consent: { channels: { sms: "granted" } },
    });
    expect(saved.map((r) => r.message), "the caller gets the result to toast it").toEqual(["Created profile Trần Thị B"]);
    expect(q("create-form"), "the wizard closes after saving").toBeNull();
  });

  it("returns to step 1 with the errors when Save is refused by validation", async () => {
    createAnswer = () => {
      throw {
        code: "validation",
        message: "The profile has errors",
        details: [{ field: "phones.0", code: "invalidPhone", message: "Not a phone number" }],
      };
    };
    const saved: SaveResult[] = [];
    openWizard(saved);
    type("field-phones-0", "12");
    q("continue-button")!.click();
    await settle();
    q("save-button")!.click();
    await settle();
    expect(q("continue-button")?.hidden, "back on step 1").toBe(false);
    expect(q("error-phones")?.textContent, "the refused field is explained").toBe("Not a phone number");
    expect(saved.length, "nothing was saved").toBe(0);
    expect(q("create-form"), "the wizard stays open").not.toBeNull();
  });

  it("shows a non-validation failure in the error banner and stays on consent", async () => {
    createAnswer = () => {
      throw { code: "permission", message: "You do not have permission to create profiles", details: { permission: "profile.create" } };
    };
    openWizard();
    type("field-full_name", "X");
    q("continue-button")!.click();
    await settle();
    q("save-button")!.click();
    await settle();
    expect(q("error-banner")?.textContent, "the core's message is shown").toContain("You do not have permission to create profiles");
    expect(q("save-button")?.hidden, "the user can retry from the consent step").toBe(false);
  });
});
