// The bootstrap: the styles, then the start-up sequence (shell/boot.ts), which opens the app
// (shell/app.ts) once someone is signed in.
import "./shell/styles.css";

import { start } from "./shell/boot";

void start();
