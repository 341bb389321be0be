;;; glm-eglot.el --- glm-lsp through Eglot (Emacs 29+)  -*- lexical-binding: t; -*-

;; Put this in your init file. Eglot runs one server per major mode, so for these modes
;; glm-lsp replaces the server Eglot would otherwise start (use lsp-mode, see
;; glm-lsp-mode.el, to run glm-lsp next to another server). Start it with M-x eglot.
;;
;; The key comes from the environment Emacs was started in (GLM_API_KEY, or the provider's
;; own variable such as ZAI_API_KEY). A graphical Emacs may not see your shell's variables;
;; then set it here from ~/.authinfo.gpg, for example:
;;   (setenv "GLM_API_KEY" (auth-source-pick-first-password :host "api.z.ai"))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((python-mode python-ts-mode rust-mode rust-ts-mode go-mode go-ts-mode
                  js-mode js-ts-mode typescript-ts-mode tsx-ts-mode c-mode c-ts-mode
                  c++-mode c++-ts-mode sh-mode bash-ts-mode)
                 . ("glm-lsp")))
  ;; The server streams a rewrite as many small workspace/applyEdit calls: do not confirm each.
  (setq eglot-confirm-server-edits nil)                ; Emacs 30
  (setq eglot-confirm-server-initiated-edits nil))     ; Emacs 29

;; Answers the server's workspace/configuration request for the section "glm" (every key is in
;; docs/configuration.md). A project can override it in .dir-locals.el.
(setq-default eglot-workspace-configuration
              '(:glm (:provider "zai"
                      :model "glm-4.6"
                      :inline (:enabled t))))

;; Ghost text arrives as completion-at-point candidates (the server's textDocument/completion
;; fallback); M-x eglot-code-actions offers GLM: Refactor, Fix, Add docstring and Write tests
;; on a region, their edits streaming into the buffer. GLM: Explain answers in a chat, which only
;; the VS Code and Neovim clients show.

;;; glm-eglot.el ends here
