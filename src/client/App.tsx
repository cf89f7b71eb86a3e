import { Center, createTheme, Loader, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AssessmentPage } from '../features/assessments/ui/AssessmentPage.js';
import { AssessmentResultsPage } from '../features/assessments/ui/AssessmentResultsPage.js';
import { AccountPage } from '../features/auth/ui/AccountPage.js';
import { ForgotPasswordPage, ResetPasswordPage } from '../features/auth/ui/PasswordResetPages.js';
import { LoginPage } from '../features/auth/ui/LoginPage.js';
import { AuditPage } from '../features/audit/ui/AuditPage.js';
import { FrameworksPage } from '../features/frameworks/ui/FrameworksPage.js';
import { InstrumentImportPage } from '../features/instruments/ui/InstrumentImportPage.js';
import { InstrumentLibraryPage } from '../features/instruments/ui/InstrumentLibraryPage.js';
import { InstrumentPage } from '../features/instruments/ui/InstrumentPage.js';
import { InvitationPage } from '../features/members/ui/InvitationPage.js';
import { ImportPage } from '../features/organizations/ui/ImportPage.js';
import { OrgBrowserPage } from '../features/organizations/ui/OrgBrowserPage.js';
import { OrgPage } from '../features/organizations/ui/OrgPage.js';
import { GoalPage } from '../features/plans/ui/GoalPage.js';
import { MyActionsPage } from '../features/plans/ui/MyActionsPage.js';
import { PlanPage } from '../features/plans/ui/PlanPage.js';
import { SurveyReportPage } from '../features/reports/ui/SurveyReportPage.js';
import { ResourceLibraryPage } from '../features/resources/ui/ResourceLibraryPage.js';
import { ResourcePage } from '../features/resources/ui/ResourcePage.js';
import { AdministrationPage } from '../features/surveys/ui/AdministrationPage.js';
import { SurveyImportPage } from '../features/surveys/ui/SurveyImportPage.js';
import { SurveySetupPage } from '../features/surveys/ui/SurveySetupPage.js';
import { ApiError } from './api.js';
import { useMeQuery } from './auth.js';
import { Layout, PublicLayout } from './components/Layout.js';
import { NotFoundPage } from './components/NotFoundPage.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not fix itself; retry only what might be a passing network fault.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

// A teal whose filled and hover shades both keep white text above WCAG AA contrast (5.6:1, 7.4:1).
const brand = ['#e6fcf5', '#c3fae8', '#96f2d7', '#63e6be', '#38d9a9', '#20c997', '#12b886', '#0c8f6e', '#0a7560', '#085f4e'] as const;
const theme = createTheme({ colors: { brand: [...brand] }, primaryColor: 'brand', primaryShade: 8, respectReducedMotion: true, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' });

function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, isLoading } = useMeQuery();
  const location = useLocation();
  const { t } = useTranslation();
  if (isLoading) {
    return (
      <Center h="50vh">
        <Loader role="status" aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return children;
}

export function App() {
  return (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Routes>
            <Route element={<PublicLayout />}>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/forgot" element={<ForgotPasswordPage />} />
              <Route path="/reset/:token" element={<ResetPasswordPage />} />
              <Route path="/invite/:token" element={<InvitationPage />} />
            </Route>
            <Route
              element={
                <RequireAuth>
                  <Layout />
                </RequireAuth>
              }
            >
              <Route index element={<Navigate to="/orgs" replace />} />
              <Route path="/orgs" element={<OrgBrowserPage />} />
              <Route path="/orgs/:id" element={<OrgPage />} />
              <Route path="/orgs/:id/:tab" element={<OrgPage />} />
              <Route path="/orgs/:id/surveys/new" element={<SurveySetupPage />} />
              <Route path="/orgs/:id/surveys/import" element={<SurveyImportPage />} />
              <Route path="/instruments" element={<InstrumentLibraryPage />} />
              <Route path="/instruments/import" element={<InstrumentImportPage />} />
              <Route path="/instruments/:id" element={<InstrumentPage />} />
              <Route path="/frameworks" element={<FrameworksPage />} />
              <Route path="/assessments/:id" element={<AssessmentPage />} />
              <Route path="/assessments/:id/results" element={<AssessmentResultsPage />} />
              <Route path="/surveys/:id" element={<AdministrationPage />} />
              <Route path="/surveys/:id/results" element={<SurveyReportPage />} />
              <Route path="/plans/:id" element={<PlanPage />} />
              <Route path="/goals/:id" element={<GoalPage />} />
              <Route path="/my-actions" element={<MyActionsPage />} />
              <Route path="/resources" element={<ResourceLibraryPage />} />
              <Route path="/resources/:id" element={<ResourcePage />} />
              <Route path="/import" element={<ImportPage />} />
              <Route path="/audit" element={<AuditPage />} />
              <Route path="/account" element={<AccountPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
