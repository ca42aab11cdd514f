// A CodeMirror 6 editor with Python highlighting, mounted over a <textarea>.
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";

export function createEditor(textarea) {
  const listeners = [];
  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      basicSetup,
      keymap.of([indentWithTab]),
      python(),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) {
          textarea.value = update.state.doc.toString();
          listeners.forEach((fn) => fn());
        }
      }),
      EditorView.contentAttributes.of({ "aria-label": "Code editor", "data-testid": "code-editor" }),
    ],
  });
  textarea.hidden = true;
  textarea.after(view.dom);
  return {
    view,
    value: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    onChange: (fn) => listeners.push(fn),
  };
}
