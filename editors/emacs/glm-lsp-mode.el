;;; glm-lsp-mode.el --- glm-lsp through lsp-mode (9.0.1+)  -*- lexical-binding: t; -*-

;; Put this in your init file. glm-lsp runs as an add-on server, next to the one lsp-mode
;; already starts for the buffer (pyright, rust-analyzer, ...). lsp-mode 9.0.1 shows the
;; server's inline completions as ghost text (lsp-inline-completion-mode turns on by itself
;; when the server offers them).
;;
;; The key comes from the environment Emacs was started in (GLM_API_KEY, or the provider's
;; own variable such as ZAI_API_KEY). A graphical Emacs may not see your shell's variables;
;; then set it here from ~/.authinfo.gpg, for example:
;;   (setenv "GLM_API_KEY" (auth-source-pick-first-password :host "api.z.ai"))

(with-eval-after-load 'lsp-mode
  ;; Answers the server's workspace/configuration request for the section "glm" (every key is
  ;; in docs/configuration.md).
  (lsp-register-custom-settings
   '(("glm.provider" "zai")
     ("glm.model" "glm-4.6")
     ("glm.inline.enabled" t t)))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection '("glm-lsp"))
    :activation-fn (lsp-activate-on "python" "rust" "go" "javascript" "typescript"
                                    "typescriptreact" "c" "cpp" "shellscript")
    :server-id 'glm-lsp
    :add-on? t
    :priority -2
    ;; The chat and status notifications are for the VS Code and Neovim clients.
    :notification-handlers (lsp-ht ("glm/status" #'ignore)
                                   ("glm/chat/delta" #'ignore)
                                   ("glm/chat/done" #'ignore))))
  ;; The server already waits for a pause in typing; ask soon after a change.
  (setq lsp-inline-completion-idle-delay 0.3))

;; M-x lsp-execute-code-action (s-l a a) offers GLM: Refactor, Fix, Add docstring and Write tests
;; on a region; their edits stream into the buffer. GLM: Explain answers in a chat, which only
;; the VS Code and Neovim clients show.

;;; glm-lsp-mode.el ends here
